import { composeIBAN } from "ibantools"
import { BankStatementError } from "../errors"
import { dedupeKeys, matchStoreAccount, storeAccountOf } from "../line-keys"
import { parseBankStatement } from "../parse-bank-statement"
import type { StoreBankAccount } from "../../bank-transfer/store-accounts"

/** Real banks' quirks (issue 20): every line accounted for, any account form. */

const parse = (fileName: string, text: string) => parseBankStatement({ file_name: fileName, content: Buffer.from(text, "utf-8") })

function parseError(fileName: string, text: string): BankStatementError {
  try {
    parse(fileName, text)
  } catch (error) {
    expect(error).toBeInstanceOf(BankStatementError)
    return error as BankStatementError
  }
  throw new Error("expected the statement to be refused")
}

const account = (iban: string): StoreBankAccount => ({
  currency: "eur",
  account_holder: "Demo",
  iban,
  bic: null,
  bank_name: null,
  method: "bank-transfer",
  method_name: "Bank transfer",
})

function camt(entries: string, acct = "<IBAN>DE89370400440532013000</IBAN>", message = "camt.053.001.08"): string {
  const [root, stmt] = message.startsWith("camt.054") ? ["BkToCstmrDbtCdtNtfctn", "Ntfctn"] : ["BkToCstmrStmt", "Stmt"]
  return `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${message}">
  <${root}>
    <GrpHdr><MsgId>M</MsgId><CreDtTm>2026-11-01T00:00:00</CreDtTm></GrpHdr>
    <${stmt}>
      <Id>S1</Id>
      <Acct><Id>${acct}</Id><Ccy>EUR</Ccy></Acct>
${entries}
    </${stmt}>
  </${root}>
</Document>`
}

function ntry(amount: string, details: string, status = "BOOK", ref = "E1"): string {
  return `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>${status}</Cd></Sts>
  <BookgDt><Dt>2026-11-02</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef><BkTxCd/>${details}</Ntry>`
}

function tx(amount: string, ccy: string, e2e: string, text: string): string {
  return `<TxDtls><Refs><EndToEndId>${e2e}</EndToEndId></Refs><Amt Ccy="${ccy}">${amount}</Amt>
  <RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls>`
}

describe("CAMT: the booked amount is the truth", () => {
  it("keeps a booked 8.85 EUR entry whose only detail says 0 SEK as one 8.85 EUR line with the detail's references", () => {
    const parsed = parse("sek.xml", camt(ntry("8.85", `<NtryDtls>${tx("0", "SEK", "E2E-SEK", "Card fee")}</NtryDtls>`)))
    expect(parsed.lines).toHaveLength(1)
    expect(parsed.lines[0]).toMatchObject({ amount: "8.85", currency_code: "eur", end_to_end_id: "E2E-SEK", remittance: "Card fee" })
    expect(parsed.skipped ?? []).toEqual([])
  })

  it("does not let a detail's 105.75 replace the entry's 8.85", () => {
    const parsed = parse("big.xml", camt(ntry("8.85", `<NtryDtls>${tx("105.75", "EUR", "E2E-1", "Invoice 9")}</NtryDtls>`)))
    expect(parsed.lines.map((line) => line.amount)).toEqual(["8.85"])
  })

  it("splits a batch only when its details sum to the entry in the entry's currency", () => {
    const split = parse("sum.xml", camt(ntry("30.00", `<NtryDtls>${tx("10.00", "EUR", "A", "one")}${tx("20", "EUR", "B", "two")}</NtryDtls>`)))
    expect(split.lines.map((line) => [line.amount, line.end_to_end_id])).toEqual([
      ["10.00", "A"],
      ["20.00", "B"],
    ])
    const whole = parse("nosum.xml", camt(ntry("30.00", `<NtryDtls>${tx("10.00", "EUR", "A", "one")}${tx("25.00", "EUR", "B", "two")}</NtryDtls>`)))
    expect(whole.lines).toHaveLength(1)
    expect(whole.lines[0]).toMatchObject({ amount: "30.00", remittance: "one two", end_to_end_id: "A", bank_transaction_id: "E1" })
  })

  it("lists pending and zero entries as skipped, with their reason, so they add up to the file's entries", () => {
    const parsed = parse("skip.xml", camt(`${ntry("5.00", "", "PDNG", "P1")}${ntry("0.00", "", "BOOK", "Z1")}${ntry("7.00", "", "BOOK", "B1")}`))
    expect(parsed.lines.map((line) => line.amount)).toEqual(["7.00"])
    expect(parsed.skipped).toEqual([
      expect.objectContaining({ line: 1, reason: "pending", amount: "5.00" }),
      expect.objectContaining({ line: 2, reason: "zero_amount" }),
    ])
  })

  it("reads an IBAN given as Acct/Id/Othr/Id", () => {
    const parsed = parse("othr.xml", camt(ntry("1.00", ""), "<Othr><Id>DE89 3704 0044 0532 0130 00</Id></Othr>"))
    expect(parsed.lines[0]).toMatchObject({ account_iban: "DE89370400440532013000", account_number: null })
  })

  it("keeps a Swiss QR reference (QRR) of a camt.054 as the structured reference", () => {
    const qrr = `<TxDtls><Amt Ccy="CHF">50.00</Amt><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp>
      <Ref>210000000003139471430009017</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>`
    const xml = camt(
      `<Ntry><Amt Ccy="CHF">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-02</Dt></BookgDt><BkTxCd/><NtryDtls>${qrr}</NtryDtls></Ntry>`,
      "<IBAN>CH9300762011623852957</IBAN>",
      "camt.054.001.04"
    )
    expect(parse("qr.xml", xml).lines[0]).toMatchObject({ amount: "50.00", currency_code: "chf", structured_reference: "210000000003139471430009017" })
  })

  it("refuses a CAMT.052 account report with a message saying it is not imported", () => {
    const xml = camt(ntry("1.00", ""), undefined, "camt.052.001.08").replace(/BkToCstmrStmt/g, "BkToCstmrAcctRpt").replace(/<(\/?)Stmt>/g, "<$1Rpt>")
    expect(parseError("intraday.xml", xml).message).toMatch(/^intraday\.xml: is a CAMT\.052 account report .*not imported.*CAMT\.053/)
  })
})

const postfinance = `:20:2014040708285927
:25:123456789
:28C:999/1
:60F:C131130CHF0,
:61:1312091209C79,7FMSC01916//NONREF
:86:ONE
:61:1312091209C79,7FMSC01916//NONREF
:86:TWO
:61:1312101210C79,7FMSC01916//NONREF
:86:THREE
:61:1312101210C10,FMSC01916//
:86:FOUR
:62F:C140407CHF248,2
-
`

describe("MT940 readers' quirks", () => {
  it("reads a Citibank :61: whose optional entry date is four spaces, and funds codes after the mark", () => {
    const text = `:20:asdfsdfdsf
:25:123456789
:28:1/1
:60F:C240312USD17376,67
:61:240312    DD212,39NMSCNONREF//
/ABC/DEF/MISCELLANEOUS
:86:/PT/FT/PY/SOMETHING FOO BAR          112233
:61:240312    CD0,00NDEFNONREF//
/ABC/DEF/C 37897,00 BAI CD 025
:61:2403120313CR15,00NTRFREF1//BANK1
:62F:C240312USD16233,92
-`
    const parsed = parse("citi.txt", text)
    expect(parsed.lines.map((line) => [line.line, line.direction, line.amount, line.booking_date, line.bank_transaction_id])).toEqual([
      [5, "debit", "212.39", "2024-03-12", null],
      [10, "credit", "15.00", "2024-03-13", "BANK1"],
    ])
    expect(parsed.skipped).toEqual([expect.objectContaining({ line: 8, reason: "zero_amount", direction: "credit" })])
  })

  it("gives four PostFinance //NONREF lines four distinct keys, the same again on re-import", () => {
    const parsed = parse("postfinance.txt", postfinance)
    expect(parsed.lines.map((line) => line.bank_transaction_id)).toEqual([null, null, null, null])
    const keys = dedupeKeys(parsed.lines)
    expect(new Set(keys).size).toBe(4)
    expect(dedupeKeys(parse("postfinance.txt", postfinance).lines)).toEqual(keys)
  })
})

describe("dedupe keys never collapse distinct lines", () => {
  const base = {
    line: 1,
    account_iban: "DE89370400440532013000",
    account_number: null,
    direction: "credit" as const,
    amount: "10.00",
    currency_code: "eur",
    booking_date: "2026-11-02",
    value_date: null,
    remittance: null,
    structured_reference: null,
    end_to_end_id: null,
    counterparty_name: null,
    counterparty_iban: null,
    bank_transaction_id: "REF",
  }

  it("treats NONREF, NOTPROVIDED and empty references as none", () => {
    const keys = dedupeKeys([
      { ...base, bank_transaction_id: "NONREF" },
      { ...base, bank_transaction_id: "NOTPROVIDED", amount: "11.00" },
      { ...base, bank_transaction_id: " " },
    ])
    expect(keys.every((key) => key.startsWith("hash:"))).toBe(true)
    expect(new Set(keys).size).toBe(3)
  })

  it("keeps a unique reference as the key, and falls back to the line's fields for one repeated across days", () => {
    expect(dedupeKeys([base, { ...base, bank_transaction_id: "OTHER" }])).toEqual(["id:REF", "id:OTHER"])
    const repeated = dedupeKeys([base, { ...base, booking_date: "2026-11-03" }, { ...base, booking_date: "2026-11-03", line: 9 }])
    expect(new Set(repeated).size).toBe(3)
    expect(repeated.every((key) => key.startsWith("id:REF@"))).toBe(true)
  })
})

describe("store accounts in any form", () => {
  const rabo = composeIBAN({ countryCode: "NL", bban: "RABO0129199348" }) as string
  const triodos = composeIBAN({ countryCode: "NL", bban: "TRIO0390123456" }) as string
  const abn = "NL91ABNA0417164300"
  const de = "DE89370400440532013000"
  const accounts = [rabo, triodos, abn, de].map(account)
  const find = (written: string) => storeAccountOf({ account_iban: null, account_number: written }, accounts)?.iban ?? null

  it("matches Rabobank's dotted number with a currency suffix", () => {
    expect(find("1291.99.348EUR")).toBe(rabo)
    expect(find("NL")).toBeNull()
  })

  it("matches TRIODOSBANK/number, BLZ/number, BIC/number and a BBAN", () => {
    expect(find("TRIODOSBANK/0390123456")).toBe(triodos)
    expect(find("37040044/0532013000")).toBe(de)
    expect(find("ABNANL2A/417164300")).toBe(abn)
    expect(find("ABNA0417164300")).toBe(abn)
    expect(find("370400440532013000")).toBe(de)
    expect(find("0417164300")).toBe(abn)
  })

  it("names the forms it tried when no configured account matches", () => {
    const result = matchStoreAccount({ account_iban: null, account_number: "99999999/1234" }, accounts)
    expect(result.account).toBeNull()
    expect(result.tried.join(" ")).toMatch(/bank code 99999999.*account number 1234/)
  })
})
