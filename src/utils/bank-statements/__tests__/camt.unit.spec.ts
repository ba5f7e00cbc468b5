import { readFileSync } from "fs"
import { join } from "path"
import { buildCamt053 } from "../../../../scripts/lib/build-camt"
import { BankStatementError } from "../errors"
import { detectBankStatementFormat, parseBankStatement } from "../parse-bank-statement"
import type { ParsedBankLine } from "../../../types/bank-statements"

const fixture = (name: string) => readFileSync(join(__dirname, "fixtures", name))
const parseFixture = (name: string) => parseBankStatement({ file_name: name, content: fixture(name) })

/** The error a parse throws, so a test can check its message and properties. */
function parseError(fileName: string, xml: string): BankStatementError {
  try {
    parseBankStatement({ file_name: fileName, content: Buffer.from(xml, "utf-8") })
  } catch (error) {
    expect(error).toBeInstanceOf(BankStatementError)
    return error as BankStatementError
  }
  throw new Error("expected the statement to be refused")
}

const OWN = "DE89370400440532013000"

/** A camt.053.001.08 file with one statement holding the given entries. */
function camt08(entries: string, version = "001.08"): string {
  return `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.${version}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>M</MsgId><CreDtTm>2026-11-01T00:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>S1</Id>
      <Acct><Id><IBAN>${OWN}</IBAN></Id></Acct>
${entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>`
}

function entry(overrides: { amount?: string; ccy?: string; cdi?: string; date?: string; details?: string } = {}) {
  return `<Ntry>
  <Amt Ccy="${overrides.ccy ?? "EUR"}">${overrides.amount ?? "10.00"}</Amt>
  ${overrides.cdi === "" ? "" : `<CdtDbtInd>${overrides.cdi ?? "CRDT"}</CdtDbtInd>`}
  <Sts><Cd>BOOK</Cd></Sts>
  <BookgDt><Dt>${overrides.date ?? "2026-11-01"}</Dt></BookgDt>
  <BkTxCd/>
  ${overrides.details ?? ""}
</Ntry>`
}

describe("CAMT.053 001.08", () => {
  const parsed = parseFixture("camt053-001.08.xml")

  it("reads both statements and one line per booked transaction, skipping pending and information entries", () => {
    expect(parsed.format).toBe("camt.053")
    expect(parsed.statement_ids).toEqual(["STMT-2026-11-20", "STMT-2026-11-21"])
    expect(parsed.lines.map((line) => [line.line, line.direction, line.amount])).toEqual([
      [1, "credit", "110.00"],
      [2, "credit", "45.50"],
      [3, "credit", "100.00"],
      [3, "credit", "120.00"],
      [3, "credit", "80.00"],
      [5, "debit", "30.00"],
      [6, "debit", "45.50"],
      [7, "credit", "59.90"],
    ])
    expect(parsed.lines.some((line) => line.amount === "999.00" || line.amount === "12.00")).toBe(false)
  })

  it("reads every field of a credit with a structured RF reference", () => {
    expect(parsed.lines[0]).toEqual<ParsedBankLine>({
      line: 1,
      account_iban: OWN,
      account_number: null,
      direction: "credit",
      amount: "110.00",
      currency_code: "eur",
      booking_date: "2026-11-20",
      value_date: "2026-11-20",
      remittance: null,
      structured_reference: "RF401001",
      end_to_end_id: null,
      counterparty_name: "Erika Mustermann",
      counterparty_iban: "DE02120300000000202051",
      bank_transaction_id: "TX-0001",
      reversal: false,
    })
  })

  it("joins the free text of a credit whose order number is only written in it", () => {
    expect(parsed.lines[1]).toEqual<ParsedBankLine>({
      line: 2,
      account_iban: OWN,
      account_number: null,
      direction: "credit",
      amount: "45.50",
      currency_code: "eur",
      booking_date: "2026-11-20",
      value_date: "2026-11-19",
      remittance: "Bestellung 1002 Vielen Dank",
      structured_reference: null,
      end_to_end_id: "E2E-CUST-77",
      counterparty_name: "Max Müller & Söhne",
      counterparty_iban: "DE02500105170137075030",
      bank_transaction_id: "ASR-0002",
      reversal: false,
    })
  })

  it("splits a batched entry into its transactions, with unique bank ids from the entry's reference", () => {
    const batch = parsed.lines.filter((line) => line.line === 3)
    expect(batch.map((line) => line.bank_transaction_id)).toEqual(["BATCH-0003#1", "BATCH-0003#2", "BATCH-0003#3"])
    expect(batch.map((line) => line.remittance)).toEqual(["Zahlung RF83 1003 danke", "Order #1004", "Invoice 1005"])
    // An RF reference printed in groups inside the free text is found and checked.
    expect(batch.map((line) => line.structured_reference)).toEqual(["RF831003", null, null])
    expect(batch.map((line) => line.end_to_end_id)).toEqual(["E2E-B1", null, null])
    expect(batch.map((line) => line.counterparty_name)).toEqual(["Anna Schmidt", "Lukas Weber", "Sophie Wagner"])
    expect(batch.map((line) => line.counterparty_iban)).toEqual([
      "DE12500105170648489890",
      "AT611904300234573201",
      null,
    ])
  })

  it("reads a payout debit with its EndToEndId and the payee as the other party", () => {
    expect(parsed.lines[5]).toMatchObject({
      direction: "debit",
      amount: "30.00",
      end_to_end_id: "PD-REFUND-1001-1",
      counterparty_name: "Erika Mustermann",
      counterparty_iban: "DE02120300000000202051",
      bank_transaction_id: "ENTRY-0005",
      remittance: "Refund order 1001",
      reversal: false,
    })
  })

  it("books a returned credit as a debit marked as a reversal, dated from BookgDt/DtTm, with the original payer", () => {
    expect(parsed.lines[6]).toEqual<ParsedBankLine>({
      line: 6,
      account_iban: OWN,
      account_number: null,
      direction: "debit",
      amount: "45.50",
      currency_code: "eur",
      booking_date: "2026-11-21",
      value_date: "2026-11-19",
      remittance: "RETOURE Bestellung 1002",
      structured_reference: null,
      end_to_end_id: "E2E-CUST-77",
      counterparty_name: "Max Müller & Söhne",
      counterparty_iban: "DE02500105170137075030",
      bank_transaction_id: "ASR-0006",
      reversal: true,
    })
  })

  it("prefers the transaction's AcctSvcrRef over the entry's, and Strd over an RF in the text", () => {
    expect(parsed.lines[7]).toMatchObject({
      bank_transaction_id: "TXASR-0007",
      structured_reference: "RF18539007547034",
      remittance: "Order 1010",
      counterparty_iban: "FR1420041010050500013M02606",
    })
  })
})

describe("CAMT.053 001.04 (prefixed namespace)", () => {
  const parsed = parseFixture("camt053-001.04.xml")

  it("reads both statements, one per account, and skips the pending entry", () => {
    expect(parsed.statement_ids).toEqual(["V04-STMT-1", "V04-STMT-2"])
    expect(parsed.lines.map((line) => [line.line, line.amount, line.currency_code])).toEqual([
      [1, "1250.00", "eur"],
      [2, "50.00", "eur"],
      [2, "25.25", "eur"],
      [4, "19.95", "chf"],
      [5, "5.00", "chf"],
    ])
  })

  it("reads a credit with the amount from AmtDtls/TxAmt and Dbtr/Nm", () => {
    expect(parsed.lines[0]).toEqual<ParsedBankLine>({
      line: 1,
      account_iban: OWN,
      account_number: null,
      direction: "credit",
      amount: "1250.00",
      currency_code: "eur",
      booking_date: "2026-10-01",
      value_date: "2026-10-01",
      remittance: null,
      structured_reference: "RF062001",
      end_to_end_id: null,
      counterparty_name: "Bauer Handels KG",
      counterparty_iban: "DE75512108001245126199",
      bank_transaction_id: "V04-ASR-1",
      reversal: false,
    })
  })

  it("numbers the transactions of a batch whose only reference is the entry's AcctSvcrRef", () => {
    expect(parsed.lines.slice(1, 3).map((line) => line.bank_transaction_id)).toEqual([
      "V04-BATCH-2#1",
      "V04-BATCH-2#2",
    ])
    expect(parsed.lines[2]).toMatchObject({
      remittance: "Ref rf76 2002 partial",
      structured_reference: "RF762002",
      counterparty_name: "Oliver Smith",
      counterparty_iban: "GB29NWBK60161331926819",
    })
  })

  it("gives an account without an IBAN as account_number", () => {
    expect(parsed.lines[3]).toEqual<ParsedBankLine>({
      line: 4,
      account_iban: null,
      account_number: "0532013001",
      direction: "debit",
      amount: "19.95",
      currency_code: "chf",
      booking_date: "2026-10-02",
      value_date: "2026-10-02",
      remittance: "Erstattung Bestellung 2001",
      structured_reference: null,
      end_to_end_id: "PD-REFUND-2001-1",
      counterparty_name: "Bauer Handels KG",
      counterparty_iban: "DE75512108001245126199",
      bank_transaction_id: "V04-TX-4",
      reversal: false,
    })
  })

  it("books a reversed debit as a credit whose other party is the original payee", () => {
    expect(parsed.lines[4]).toMatchObject({
      direction: "credit",
      reversal: true,
      counterparty_name: "Telecom AG",
      counterparty_iban: "DE44500105175407324931",
      bank_transaction_id: "V04-N5",
      value_date: null,
    })
  })
})

describe("CAMT.053 001.02", () => {
  const parsed = parseFixture("camt053-001.02.xml")

  it("reads both statements and normalizes the account IBAN", () => {
    expect(parsed.statement_ids).toEqual(["V02-A", "V02-B"])
    expect(parsed.lines).toHaveLength(6)
    expect(new Set(parsed.lines.map((line) => line.account_iban))).toEqual(new Set([OWN]))
  })

  it("joins several Ustrd parts with a space", () => {
    expect(parsed.lines[0]).toEqual<ParsedBankLine>({
      line: 1,
      account_iban: OWN,
      account_number: null,
      direction: "credit",
      amount: "89.00",
      currency_code: "eur",
      booking_date: "2026-08-31",
      value_date: "2026-08-31",
      remittance: "Kundennr 77 Bestell nummer 3001",
      structured_reference: null,
      end_to_end_id: null,
      counterparty_name: "Jörg Groß",
      counterparty_iban: "DE12500105170648489890",
      bank_transaction_id: "V02-E1",
      reversal: false,
    })
  })

  it("reads a batch of three from AmtDtls/TxAmt, padding the decimals", () => {
    const batch = parsed.lines.filter((line) => line.line === 2)
    expect(batch.map((line) => [line.amount, line.end_to_end_id, line.bank_transaction_id])).toEqual([
      ["10.00", "V02-E2E-1", "V02-BATCH#1"],
      ["20.00", "V02-E2E-2", "V02-BATCH#2"],
      ["30.00", "V02-E2E-3", "V02-BATCH#3"],
    ])
    expect(batch[0].structured_reference).toBe("RF693001")
  })

  it("takes a single transaction's amount from the entry, and an entry without details from AddtlNtryInf", () => {
    expect(parsed.lines[4]).toMatchObject({
      line: 4,
      direction: "debit",
      amount: "12.34",
      end_to_end_id: "PD-REFUND-3001-1",
      counterparty_name: "Jörg Groß",
      bank_transaction_id: "V02-E4",
    })
    expect(parsed.lines[5]).toMatchObject({
      line: 5,
      direction: "debit",
      reversal: true,
      amount: "89.00",
      remittance: "RUECKBUCHUNG",
      bank_transaction_id: "V02-E5",
      counterparty_name: null,
      value_date: null,
    })
  })
})

describe("CAMT.054 001.04", () => {
  const parsed = parseFixture("camt054-001.04.xml")

  it("reads every notification and its booked entries", () => {
    expect(parsed.format).toBe("camt.054")
    expect(parsed.statement_ids).toEqual(["N54-1", "N54-2"])
    expect(parsed.lines).toEqual<ParsedBankLine[]>([
      {
        line: 1,
        account_iban: OWN,
        account_number: null,
        direction: "credit",
        amount: "42.00",
        currency_code: "eur",
        booking_date: "2026-11-02",
        value_date: "2026-11-02",
        remittance: "RF29 1005",
        structured_reference: "RF291005",
        end_to_end_id: "N54-E2E-1",
        counterparty_name: "Clara Fischer",
        counterparty_iban: "DE02120300000000202051",
        bank_transaction_id: "N54-E1",
        reversal: false,
      },
      {
        line: 3,
        account_iban: OWN,
        account_number: null,
        direction: "credit",
        amount: "18.00",
        currency_code: "eur",
        booking_date: "2026-11-02",
        value_date: null,
        remittance: "Bestellung Nr. 1004",
        structured_reference: null,
        end_to_end_id: null,
        counterparty_name: "Paul Becker",
        counterparty_iban: null,
        bank_transaction_id: "N54-TX-3",
        reversal: false,
      },
    ])
  })

  it("is refused when camt.053 was chosen", () => {
    expect(() =>
      parseBankStatement({ file_name: "n.xml", content: fixture("camt054-001.04.xml"), format: "camt.053" })
    ).toThrow("n.xml: is a camt.054 file, not camt.053")
  })
})

describe("CAMT amounts", () => {
  it("refuses more decimals than the currency has, naming the file, the entry and the field", () => {
    const error = parseError("statement.xml", camt08(entry() + entry({ amount: "12.345" })))
    expect(error.message).toBe('statement.xml entry 2: Amt "12.345" has more decimals than EUR allows (2)')
    expect(error.type).toBe("invalid_data")
    expect([error.file_name, error.line, error.field]).toEqual(["statement.xml", 2, "Amt"])
  })

  it("checks a transaction's own amount against its currency (JPY has none)", () => {
    const details = `<NtryDtls><TxDtls><Amt Ccy="JPY">1500.5</Amt></TxDtls></NtryDtls>`
    const error = parseError("yen.xml", camt08(entry({ amount: "1500", ccy: "JPY", details })))
    expect(error.message).toBe('yen.xml entry 1: TxDtls/Amt "1500.5" has more decimals than JPY allows (0)')
    expect(error.field).toBe("TxDtls/Amt")
  })

  it("accepts trailing zeros and writes the currency's decimals", () => {
    const lines = parseBankStatement({
      file_name: "ok.xml",
      content: Buffer.from(camt08(entry({ amount: "1500.000", ccy: "JPY" }) + entry({ amount: "7" }))),
    }).lines
    expect(lines.map((line) => [line.amount, line.currency_code])).toEqual([
      ["1500", "jpy"],
      ["7.00", "eur"],
    ])
  })

  it("books a batch with a transaction without an amount as one line of the entry's amount (issue 20)", () => {
    const details = `<NtryDtls><TxDtls><Amt Ccy="EUR">4.00</Amt></TxDtls><TxDtls><Refs><EndToEndId>X</EndToEndId></Refs></TxDtls></NtryDtls>`
    const parsed = parseBankStatement({ file_name: "batch.xml", content: Buffer.from(camt08(entry({ details })), "utf-8") })
    expect(parsed.lines.map((line) => [line.amount, line.end_to_end_id])).toEqual([["10.00", "X"]])
  })

  it("refuses an amount that is not a number", () => {
    const error = parseError("nan.xml", camt08(entry({ amount: "1,50" })))
    expect(error.message).toBe('nan.xml entry 1: Amt "1,50" is not an amount')
  })
})

describe("CAMT errors", () => {
  it("names the line of malformed XML", () => {
    const xml = camt08(entry()).replace("<BkTxCd/>", "<BkTxCd>")
    const error = parseError("broken.xml", xml)
    expect(error.message).toMatch(/^broken\.xml line \d+: is not well-formed XML: /)
    expect(error.line).toBeGreaterThan(5)
  })

  it("refuses a camt.053 namespace on the wrong root element", () => {
    const xml = camt08(entry()).replace(/BkToCstmrStmt/g, "BkToCstmrAcctRpt")
    const error = parseError("report.xml", xml)
    expect(error.message).toBe(
      "report.xml: has no Document/BkToCstmrStmt element although it declares camt.053"
    )
    expect(error.field).toBe("BkToCstmrStmt")
  })

  it("refuses an unsupported version", () => {
    const error = parseError("v10.xml", camt08(entry(), "001.10"))
    expect(error.message).toBe("v10.xml: camt.053.001.10 is not supported (versions 001.02 to 001.08 are)")
  })

  it("refuses XML that is no CAMT statement", () => {
    const error = parseError("pain.xml", '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>')
    expect(error.message).toBe(
      "pain.xml: is not a CAMT.053, CAMT.054 or MT940 statement; to import a CSV export, choose its CSV profile"
    )
  })

  it("refuses an unknown direction and a bad booking date, naming the field", () => {
    const direction = parseError("d.xml", camt08(entry({ cdi: "CRED" })))
    expect(direction.message).toBe('d.xml entry 1: CdtDbtInd "CRED" must be CRDT or DBIT')
    expect(direction.field).toBe("CdtDbtInd")
    const date = parseError("t.xml", camt08(entry() + entry({ date: "2026-02-30" })))
    expect(date.message).toBe('t.xml entry 2: BookgDt "2026-02-30" is not a date (YYYY-MM-DD)')
    expect(date.field).toBe("BookgDt")
  })

  it("refuses a DOCTYPE (no entity expansion)", () => {
    const xml = camt08(entry()).replace('<?xml version="1.0"?>', '<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY a "aaaa">]>')
    const error = parseError("dtd.xml", xml)
    expect(error.message).toBe("dtd.xml: has a DOCTYPE, which a bank statement never has")
  })

  it("refuses an empty file", () => {
    expect(() => parseBankStatement({ file_name: "empty.xml", content: Buffer.alloc(0) })).toThrow("empty.xml: is empty")
  })
})

describe("detectBankStatementFormat", () => {
  it.each([
    ["camt053-001.02.xml", "camt.053"],
    ["camt053-001.04.xml", "camt.053"],
    ["camt053-001.08.xml", "camt.053"],
    ["camt054-001.04.xml", "camt.054"],
  ])("detects %s as %s", (name, format) => {
    expect(detectBankStatementFormat(fixture(name))).toBe(format)
  })

  it("detects nothing in other XML or plain text", () => {
    expect(detectBankStatementFormat(Buffer.from("<root/>"))).toBeNull()
    expect(detectBankStatementFormat(Buffer.from("Datum;Betrag\n01.01.2026;1,00\n"))).toBeNull()
  })
})

describe("buildCamt053 (test helper)", () => {
  const input = {
    account_iban: "DE89 3704 0044 0532 0130 00",
    currency: "eur",
    statements: [
      {
        id: "A",
        lines: [
          {
            amount: "110.00",
            direction: "credit" as const,
            booking_date: "2026-11-20",
            reference: "RF401001",
            remittance: "Order 1001 <gift> & co",
            end_to_end_id: "E2E-1",
            name: "Erika Mustermann",
            iban: "DE02120300000000202051",
            bank_id: "BANK-1",
          },
          { amount: "5.00", direction: "credit" as const, booking_date: "2026-11-20", status: "PDNG" as const },
        ],
      },
      {
        id: "B",
        lines: [
          { amount: "30.00", direction: "debit" as const, booking_date: "2026-11-21", name: "Max", end_to_end_id: "PD-1" },
        ],
      },
    ],
  }

  it.each(["001.02", "001.04", "001.08"] as const)("writes version %s that the parser reads back", (version) => {
    const parsed = parseBankStatement({ file_name: "built.xml", content: Buffer.from(buildCamt053(input, version)) })
    expect(parsed.statement_ids).toEqual(["A", "B"])
    expect(parsed.lines).toEqual<ParsedBankLine[]>([
      {
        line: 1,
        account_iban: OWN,
        account_number: null,
        direction: "credit",
        amount: "110.00",
        currency_code: "eur",
        booking_date: "2026-11-20",
        value_date: "2026-11-20",
        remittance: "Order 1001 <gift> & co",
        structured_reference: "RF401001",
        end_to_end_id: "E2E-1",
        counterparty_name: "Erika Mustermann",
        counterparty_iban: "DE02120300000000202051",
        bank_transaction_id: "BANK-1",
        reversal: false,
      },
      {
        line: 3,
        account_iban: OWN,
        account_number: null,
        direction: "debit",
        amount: "30.00",
        currency_code: "eur",
        booking_date: "2026-11-21",
        value_date: "2026-11-21",
        remittance: null,
        structured_reference: null,
        end_to_end_id: "PD-1",
        counterparty_name: "Max",
        counterparty_iban: null,
        bank_transaction_id: "B-1",
        reversal: false,
      },
    ])
  })
})
