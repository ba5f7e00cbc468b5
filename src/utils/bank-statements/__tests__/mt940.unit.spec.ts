import { readFileSync } from "fs"
import { join } from "path"
import { BankStatementError } from "../errors"
import { detectBankStatementFormat, parseBankStatement } from "../parse-bank-statement"
import type { ParsedBankLine } from "../../../types/bank-statements"

const swift = readFileSync(join(__dirname, "fixtures", "mt940-swift.sta"))

function parseError(fileName: string, text: string): BankStatementError {
  try {
    parseBankStatement({ file_name: fileName, content: Buffer.from(text, "utf-8") })
  } catch (error) {
    expect(error).toBeInstanceOf(BankStatementError)
    return error as BankStatementError
  }
  throw new Error("expected the statement to be refused")
}

/** A plain MT940 statement (no SWIFT blocks) around the given transaction fields. */
function plain(transactions: string, header = ":25:DE89370400440532013000\n:28C:1/1\n:60F:C261101EUR0,00"): string {
  return `:20:REF\n${header}\n${transactions}\n:62F:C261101EUR0,00\n-\n`
}

describe("MT940 with SWIFT blocks and German :86: subfields", () => {
  const parsed = parseBankStatement({ file_name: "mt940-swift.sta", content: swift })

  it("reads both statements, skipping the zero line and the statement-level :86:", () => {
    expect(parsed.format).toBe("mt940")
    expect(parsed.statement_ids).toEqual(["STARTUMSE/00220/001", "STARTUMSE/00221/001"])
    expect(parsed.lines.map((line) => [line.line, line.direction, line.amount])).toEqual([
      [6, "credit", "110.00"],
      [10, "debit", "30.00"],
      [15, "debit", "45.50"],
      [26, "credit", "59.90"],
      [30, "credit", "12.50"],
    ])
  })

  it("reads a credit: EREF, SVWZ, an RF reference, the name from ?32+?33 and the IBAN from ?31 across wrapped lines", () => {
    expect(parsed.lines[0]).toEqual<ParsedBankLine>({
      line: 6,
      account_iban: null,
      account_number: "37040044/0532013000",
      direction: "credit",
      amount: "110.00",
      currency_code: "eur",
      booking_date: "2026-11-20",
      value_date: "2026-11-20",
      remittance: "Bestellung 1001 Danke RF40 1001",
      structured_reference: "RF401001",
      end_to_end_id: "ORDER-1001-E2E",
      counterparty_name: "Erika Mustermann",
      counterparty_iban: "DE02120300000000202051",
      bank_transaction_id: "BANKREF-61-1",
      reversal: false,
      customer_reference: null,
    })
  })

  it("reads a payout debit with its EREF and KREF", () => {
    expect(parsed.lines[1]).toEqual<ParsedBankLine>({
      line: 10,
      account_iban: null,
      account_number: "37040044/0532013000",
      direction: "debit",
      amount: "30.00",
      currency_code: "eur",
      booking_date: "2026-11-20",
      value_date: "2026-11-20",
      remittance: "Refund order 1001",
      structured_reference: null,
      end_to_end_id: "PD-REFUND-1001-1",
      counterparty_name: "Erika Mustermann",
      counterparty_iban: "DE02120300000000202051",
      bank_transaction_id: "BANKREF-61-2",
      reversal: false,
      customer_reference: "PAYOUT-20261120",
    })
  })

  it("books RC (a returned credit) as a debit reversal and joins a purpose cut at 27 characters", () => {
    expect(parsed.lines[2]).toMatchObject({
      direction: "debit",
      reversal: true,
      booking_date: "2026-11-21",
      value_date: "2026-11-20",
      remittance: "RETOURE Bestellung 1002 Warenruecksendung",
      end_to_end_id: "E2E-CUST-77",
      counterparty_name: "Max Müller",
    })
  })

  it("reads the IBAN of :25:, an entry date in the previous year, and an RF reference in unstructured text", () => {
    expect(parsed.lines[3]).toEqual<ParsedBankLine>({
      line: 26,
      account_iban: "DE89370400440532013000",
      account_number: null,
      direction: "credit",
      amount: "59.90",
      currency_code: "eur",
      booking_date: "2026-12-31",
      value_date: "2027-01-02",
      remittance: "Order 1010 thank you RF18 5390 0754 7034",
      structured_reference: "RF18539007547034",
      end_to_end_id: null,
      counterparty_name: null,
      counterparty_iban: null,
      bank_transaction_id: "BANKREF-61-4",
      reversal: false,
      customer_reference: null,
    })
  })

  it("keeps short subfields of a purpose without SEPA keywords apart, pads the amount, and has no bank id without //", () => {
    expect(parsed.lines[4]).toMatchObject({
      amount: "12.50",
      remittance: "Bestellung 1011 Max Mustermann",
      counterparty_name: "MUSTERMANN, MAX",
      bank_transaction_id: null,
      end_to_end_id: null,
    })
  })

  it("reads the same file in Windows-1252 (umlauts)", () => {
    const latin = Buffer.from(swift.toString("utf-8"), "latin1")
    expect(latin.includes(Buffer.from("Müller", "utf-8"))).toBe(false)
    const again = parseBankStatement({ file_name: "latin.sta", content: latin })
    expect(again.lines[2].counterparty_name).toBe("Max Müller")
  })

  it("is detected as MT940", () => {
    expect(detectBankStatementFormat(swift)).toBe("mt940")
  })
})

describe("MT940 without SWIFT blocks", () => {
  it("reads a plain file with a bank header line, RD as a credit reversal and a funds code", () => {
    const text = `ABNANL2A\n940\n${plain(":61:261101RDR7,25N062NONREF\n:86:/EREF/NOTPROVIDED/REMI/Order 1001")}`
    expect(detectBankStatementFormat(Buffer.from(text))).toBe("mt940")
    const parsed = parseBankStatement({ file_name: "plain.sta", content: Buffer.from(text) })
    expect(parsed.statement_ids).toEqual(["REF/1/1"])
    expect(parsed.lines).toEqual<ParsedBankLine[]>([
      {
        line: 7,
        account_iban: "DE89370400440532013000",
        account_number: null,
        direction: "credit",
        amount: "7.25",
        currency_code: "eur",
        booking_date: "2026-11-01",
        value_date: "2026-11-01",
        remittance: "/EREF/NOTPROVIDED/REMI/Order 1001",
        structured_reference: null,
        end_to_end_id: null,
        counterparty_name: null,
        counterparty_iban: null,
        bank_transaction_id: null,
        reversal: true,
        customer_reference: null,
      },
    ])
  })

  it("drops a currency code after the IBAN in :25:", () => {
    const text = plain(":61:261101C1,00NTRFNONREF", ":25:NL91ABNA0417164300EUR\n:60F:C261101EUR0,00")
    const parsed = parseBankStatement({ file_name: "nl.sta", content: Buffer.from(text) })
    expect(parsed.lines[0].account_iban).toBe("NL91ABNA0417164300")
  })
})

describe("MT940 errors", () => {
  it("refuses a file that is not MT940 when MT940 was chosen", () => {
    const camt = readFileSync(join(__dirname, "fixtures", "camt053-001.08.xml"))
    expect(() => parseBankStatement({ file_name: "camt.xml", content: camt, format: "mt940" })).toThrow(
      "camt.xml: is not an MT940 statement: it has no :20: field"
    )
  })

  it("refuses more decimals than the currency has, naming the line and the field", () => {
    const error = parseError("bad.sta", plain(":61:261101C1,00NTRF\n:61:261101C12,345NTRF"))
    expect(error.message).toBe('bad.sta line 6: :61: amount "12,345" has more decimals than EUR allows (2)')
    expect([error.file_name, error.line, error.field]).toEqual(["bad.sta", 6, ":61: amount"])
  })

  it("refuses a bad value date and a bad entry date", () => {
    const value = parseError("date.sta", plain(":61:261301C1,00NTRF"))
    expect(value.message).toBe('date.sta line 5: :61: value date "261301" is not a date (YYMMDD)')
    expect(value.field).toBe(":61: value date")
    const entry = parseError("entry.sta", plain(":61:2611011131C1,00NTRF"))
    expect(entry.message).toBe('entry.sta line 5: :61: entry date "1131" is not a date (MMDD)')
  })

  it("refuses a :61: line it cannot read", () => {
    const error = parseError("x.sta", plain(":61:261101X1,00NTRF"))
    expect(error.message).toMatch(/^x\.sta line 5: :61: "261101X1,00NTRF" is not a statement line/)
  })

  it("refuses a transaction before the opening balance that gives the currency", () => {
    const error = parseError("nobal.sta", ":20:REF\n:25:DE89370400440532013000\n:61:261101C1,00NTRF\n-\n")
    expect(error.message).toBe(
      "nobal.sta line 3: the statement has no :60F: opening balance (which gives the currency) before its first :61:"
    )
    expect(error.field).toBe(":60F:")
  })
})
