import { readFileSync } from "fs"
import { join } from "path"
import { validateCsvProfile } from "../../../modules/payment-desk/csv-profile"
import { EXAMPLE_CSV_PROFILES } from "../csv-profiles"
import { BankStatementError } from "../errors"
import { detectBankStatementFormat, parseBankStatement, readBankStatement } from "../parse-bank-statement"
import type { CsvProfile, ParsedBankLine } from "../../../types/bank-statements"

const fixture = (name: string) => readFileSync(join(__dirname, "fixtures", name))
const sparkasse = fixture("sparkasse-windows-1252.csv")
const uk = fixture("uk-bank.csv")

function parseError(fileName: string, text: string | Buffer, profile: CsvProfile): BankStatementError {
  try {
    parseBankStatement({ file_name: fileName, content: Buffer.isBuffer(text) ? text : Buffer.from(text), profile })
  } catch (error) {
    expect(error).toBeInstanceOf(BankStatementError)
    return error as BankStatementError
  }
  throw new Error("expected the statement to be refused")
}

/** A minimal German-style profile over the columns Datum;Betrag;Text. */
const simple: CsvProfile = {
  delimiter: ";",
  decimal: ",",
  date_format: "DD.MM.YYYY",
  currency: "EUR",
  columns: { booking_date: "Datum", amount: "Betrag", remittance: "Text" },
}

describe("CSV: German savings-bank export in Windows-1252", () => {
  const parsed = parseBankStatement({
    file_name: "umsaetze.csv",
    content: sparkasse,
    profile: EXAMPLE_CSV_PROFILES.de_sparkasse,
  })

  it("is really Windows-1252 (ü is one byte), and is not detected without a profile", () => {
    expect(sparkasse.includes(Buffer.from([0xfc]))).toBe(true)
    expect(sparkasse.includes(Buffer.from("ü", "utf-8"))).toBe(false)
    expect(detectBankStatementFormat(sparkasse)).toBeNull()
  })

  it("reads one line per row with an amount, skipping the zero row", () => {
    expect(parsed.format).toBe("csv")
    expect(parsed.statement_ids).toEqual([])
    expect(parsed.lines.map((line) => [line.line, line.direction, line.amount])).toEqual([
      [2, "credit", "110.00"],
      [3, "credit", "1045.50"],
      [4, "debit", "30.00"],
    ])
  })

  it("lists the zero row as a skipped entry, so lines plus skipped are the file's four entries", () => {
    expect(parsed.skipped).toEqual([
      { line: 5, reason: "zero_amount", direction: null, amount: "0.00", currency_code: "eur", booking_date: "2026-11-21" },
    ])
    expect(parsed.lines.length + (parsed.skipped ?? []).length).toBe(4)
  })

  it("reads every field of a row, umlauts included", () => {
    expect(parsed.lines[0]).toEqual<ParsedBankLine>({
      line: 2,
      account_iban: "DE89370400440532013000",
      account_number: null,
      direction: "credit",
      amount: "110.00",
      currency_code: "eur",
      booking_date: "2026-11-20",
      value_date: "2026-11-20",
      remittance: "RF40 1001",
      structured_reference: "RF401001",
      end_to_end_id: null,
      counterparty_name: "Jürgen Größer",
      counterparty_iban: "DE02120300000000202051",
      bank_transaction_id: null,
    })
    expect(parsed.lines[1]).toMatchObject({
      value_date: "2026-11-19",
      remittance: "Bestellung 1002 vielen Dank",
      structured_reference: null,
      end_to_end_id: "E2E-CUST-77",
      counterparty_name: "Max Müller",
    })
    expect(parsed.lines[2]).toMatchObject({
      booking_date: "2026-11-21",
      end_to_end_id: "PD-REFUND-1001-1",
      counterparty_iban: "DE02120300000000202051",
    })
  })
})

describe("CSV: English bank export with split columns", () => {
  const parsed = parseBankStatement({ file_name: "uk.csv", content: uk, profile: EXAMPLE_CSV_PROFILES.uk_bank })

  it("drops the UTF-8 BOM, reads thousands separators and joins the remittance columns", () => {
    expect(uk.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    expect(parsed.lines).toEqual<ParsedBankLine[]>([
      {
        line: 2,
        account_iban: null,
        account_number: null,
        direction: "credit",
        amount: "1250.00",
        currency_code: "eur",
        booking_date: "2026-11-20",
        value_date: null,
        remittance: "FASTER PAYMENT Order 1003",
        structured_reference: null,
        end_to_end_id: null,
        counterparty_name: "Anna Smith",
        counterparty_iban: null,
        bank_transaction_id: "TX-UK-1",
      },
      {
        line: 3,
        account_iban: null,
        account_number: null,
        direction: "credit",
        amount: "59.90",
        currency_code: "eur",
        booking_date: "2026-11-21",
        value_date: null,
        remittance: "BANK TRANSFER RF83 1003",
        structured_reference: "RF831003",
        end_to_end_id: null,
        counterparty_name: "Oliver Brown",
        counterparty_iban: null,
        bank_transaction_id: "TX-UK-2",
      },
      {
        line: 4,
        account_iban: null,
        account_number: null,
        direction: "debit",
        amount: "30.00",
        currency_code: "eur",
        booking_date: "2026-11-21",
        value_date: null,
        remittance: "REFUND PD-REFUND-1003-1",
        structured_reference: null,
        end_to_end_id: null,
        counterparty_name: "Anna Smith",
        counterparty_iban: null,
        bank_transaction_id: "TX-UK-3",
      },
    ])
  })

  it("lists the card fee row with neither paid in nor paid out (0.00) as a skipped entry, not a line", () => {
    expect(parsed.skipped).toEqual([
      { line: 5, reason: "zero_amount", direction: null, amount: "0.00", currency_code: "eur", booking_date: "2026-11-22" },
    ])
  })

  it("lists a split row with both columns empty as a skipped entry without an amount", () => {
    const text = "Date,Description,Reference,Counterparty,Paid in,Paid out,Transaction ID\n20/11/2026,NOTICE,,,,,TX-0\n21/11/2026,PAYMENT,,,5.00,,TX-1\n"
    const both = parseBankStatement({ file_name: "uk.csv", content: Buffer.from(text), profile: EXAMPLE_CSV_PROFILES.uk_bank })
    expect(both.lines.map((line) => [line.line, line.direction, line.amount])).toEqual([[3, "credit", "5.00"]])
    expect(both.skipped).toEqual([
      { line: 2, reason: "zero_amount", direction: null, amount: null, currency_code: "eur", booking_date: "2026-11-20" },
    ])
  })
})

describe("CSV: other dialects", () => {
  it("skips preamble lines and reads an indicator column (S/H), YYYY-MM-DD dates and the profile's account", () => {
    const text = [
      "Kontoauszug;Girokonto",
      "Zeitraum;01.11.2026 - 30.11.2026",
      "Buchung;Umsatz;S/H;Zweck;Referenz",
      "2026-11-03;12,00;H;Bestellung 1003;RF83 1003",
      "2026-11-04;5,00;S;Gebühr;",
    ].join("\n")
    const profile = validateCsvProfile("giro", {
      skip_lines: 2,
      date_format: "YYYY-MM-DD",
      sign: "indicator",
      credit_value: "h",
      currency: "eur",
      account_iban: "DE89 3704 0044 0532 0130 00",
      columns: { booking_date: "Buchung", amount: "Umsatz", indicator: "S/H", remittance: "Zweck", reference: "Referenz" },
    })
    const parsed = parseBankStatement({ file_name: "giro.csv", content: Buffer.from(text), profile })
    expect(parsed.lines.map((line) => [line.line, line.direction, line.amount, line.structured_reference])).toEqual([
      [4, "credit", "12.00", "RF831003"],
      [5, "debit", "5.00", null],
    ])
    expect(parsed.lines[0].account_iban).toBe("DE89370400440532013000")
  })

  it("reads US dates, a trailing minus, parentheses and a currency column with no decimals (JPY)", () => {
    const text = "Date,Amount,Currency,Memo\n11/30/2026,1200-,JPY,a\n12/01/2026,(300),JPY,b\n12/02/2026,+50,JPY,c\n"
    const profile: CsvProfile = {
      delimiter: ",",
      decimal: ".",
      date_format: "MM/DD/YYYY",
      columns: { booking_date: "Date", amount: "Amount", currency: "Currency", remittance: "Memo" },
    }
    const parsed = parseBankStatement({ file_name: "us.csv", content: Buffer.from(text), profile })
    expect(parsed.lines.map((line) => [line.booking_date, line.direction, line.amount, line.currency_code])).toEqual([
      ["2026-11-30", "debit", "1200", "jpy"],
      ["2026-12-01", "debit", "300", "jpy"],
      ["2026-12-02", "credit", "50", "jpy"],
    ])
  })

  it("reads the date of a timestamp with seconds, fractions and a UTC offset (Monzo's `2018-02-25 12:34:56 +0000`)", () => {
    const text = [
      "created,amount,currency",
      "2018-02-25 12:34:56 +0000,-10,GBP",
      "2018-02-26T08:00:00.123Z,2.5,GBP",
      "2018-02-27 23:59 -05:30,1,GBP",
      "2018-02-28,3,GBP",
    ].join("\n")
    const profile: CsvProfile = { delimiter: ",", decimal: ".", date_format: "YYYY-MM-DD", columns: { booking_date: "created", amount: "amount", currency: "currency" } }
    const parsed = parseBankStatement({ file_name: "monzo.csv", content: Buffer.from(text), profile })
    expect(parsed.lines.map((line) => [line.booking_date, line.direction, line.amount])).toEqual([
      ["2018-02-25", "debit", "10.00"],
      ["2018-02-26", "credit", "2.50"],
      ["2018-02-27", "credit", "1.00"],
      ["2018-02-28", "credit", "3.00"],
    ])
    expect(parseError("monzo.csv", "created,amount,currency\n2018-02-25 12:34:56 +00000,-10,GBP\n2018-02-26,1,GBP\n", profile).message).toContain(
      'monzo.csv line 2: booking_date "2018-02-25 12:34:56 +00000" is not a date (YYYY-MM-DD)'
    )
  })
})

describe("CSV: single-byte code pages besides Windows-1252", () => {
  // Each text as its code page writes it (bytes from Python's codecs), and what Windows-1252 would make of them.
  it.each([
    ["windows-1250", "50f8ed6c699a209e6c759d6f75e86bfd206bf9f2", "Příliš žluťoučký kůň"],
    ["iso-8859-2", "5a61bff3b3e62067eab66cb1206a61bcf1", "Zażółć gęślą jaźń"],
    ["windows-1251", "cfebe0f9e0ede520efee20f4e0eaf2f3f0e0", "Плащане по фактура"],
    ["windows-1257", "52e7ed696e73204e722e20372c2073e0736b61697461", "Rēķins Nr. 7, sąskaita"],
    ["iso-8859-15", "bc75767265203520a42064e96ae0", "Œuvre 5 € déjà"],
  ] as const)("reads %s, whole and streamed in 16 kB slices, as the profile names it", async (encoding, hex, text) => {
    const bytes = Buffer.from(hex, "hex")
    expect(new TextDecoder("windows-1252").decode(bytes)).not.toBe(text)
    const row = Buffer.concat([Buffer.from("01.11.2026;1,00;"), bytes, Buffer.from("\n")])
    const content = Buffer.concat([Buffer.from("Datum;Betrag;Text\n"), ...Array.from({ length: 2_000 }, () => row)])
    expect(content.length).toBeGreaterThan(2 * 16 * 1024)
    const profile = validateCsvProfile("cp", { ...simple, encoding })
    const whole = parseBankStatement({ file_name: "cp.csv", content, profile })
    expect(whole.lines).toHaveLength(2_000)
    expect(whole.lines[0]).toMatchObject({ line: 2, amount: "1.00", direction: "credit", remittance: text })
    expect(whole.lines[1_999]).toMatchObject({ line: 2_001, remittance: text })
    expect(await readBankStatement({ file_name: "cp.csv", content, profile }, { max_lines: 10_000 })).toEqual(whole)
  })

  it("reads a file with a UTF-8 BOM as UTF-8 whatever the profile's code page, whole and streamed", async () => {
    const content = Buffer.from("\uFEFFDatum;Betrag;Text\n01.11.2026;1,00;Příliš žluťoučký kůň\n")
    const profile = validateCsvProfile("cp", { ...simple, encoding: "windows-1250" })
    const whole = parseBankStatement({ file_name: "bom.csv", content, profile })
    expect(whole.lines[0].remittance).toBe("Příliš žluťoučký kůň")
    expect(await readBankStatement({ file_name: "bom.csv", content, profile }, { max_lines: 10 })).toEqual(whole)
  })
})

describe("CSV: dates written year first with dots (Hungarian banks)", () => {
  const profile = (date_format: CsvProfile["date_format"]): CsvProfile => ({ ...simple, date_format })

  it("reads YYYY.MM.DD. (Erste Bank Hungary's `2019.04.19.`) with one-digit parts and a time after it", () => {
    const text = "Datum;Betrag;Text;Valuta\n2019.04.19.;-350;a;2019.04.19.\n2019.4.7. 13:05;1290;b;2019.04.08.\n"
    const parsed = parseBankStatement({ file_name: "hu.csv", content: Buffer.from(text), profile: validateCsvProfile("hu", { ...profile("YYYY.MM.DD."), columns: { ...simple.columns, value_date: "Valuta" } }) })
    expect(parsed.lines.map((line) => [line.booking_date, line.value_date, line.direction, line.amount])).toEqual([
      ["2019-04-19", "2019-04-19", "debit", "350.00"],
      ["2019-04-07", "2019-04-08", "credit", "1290.00"],
    ])
  })

  it("reads YYYY.MM.DD without the last dot as its own format, and names the row of a date that does not exist", () => {
    const text = "Datum;Betrag;Text\n2019.04.19;-350;a\n"
    const parsed = parseBankStatement({ file_name: "hu.csv", content: Buffer.from(text), profile: validateCsvProfile("hu", profile("YYYY.MM.DD")) })
    expect(parsed.lines.map((line) => line.booking_date)).toEqual(["2019-04-19"])
    expect(parseError("hu.csv", "Datum;Betrag;Text\n2019.02.28.;1;a\n2019.02.29.;1;b\n", profile("YYYY.MM.DD.")).message).toBe(
      'hu.csv line 3: booking_date "2019.02.29." is not a date (YYYY.MM.DD.)'
    )
    expect(parseError("hu.csv", "Datum;Betrag;Text\n2019.04.19;1;a\n2019.04.20.;1;b\n", profile("YYYY.MM.DD.")).message).toBe(
      'hu.csv line 2: booking_date "2019.04.19" is not a date (YYYY.MM.DD.)'
    )
  })
})

describe("CSV errors", () => {
  it("names the file, the profile's column name and the field of a missing column", () => {
    const error = parseError("statement.csv", "Datum;Wert;Text\n01.11.2026;1,00;x\n", simple)
    expect(error.message).toBe('statement.csv line 1: column "Betrag" (amount) is not in the header row')
    expect([error.file_name, error.line, error.field]).toEqual(["statement.csv", 1, "amount"])
  })

  it("names the row of an amount with more decimals than the currency has", () => {
    const rows = ["Datum;Betrag;Text", ...Array.from({ length: 5 }, () => "01.11.2026;1,00;x"), "02.11.2026;12,345;y"]
    const error = parseError("statement.csv", rows.join("\n"), simple)
    expect(error.message).toBe('statement.csv line 7: amount "12,345" has more decimals than EUR allows (2)')
    expect([error.line, error.field]).toEqual([7, "amount"])
  })

  it("refuses an amount that is not a number in the profile's format", () => {
    const error = parseError("s.csv", "Datum;Betrag;Text\n01.11.2026;1,00,5;x\n", simple)
    expect(error.message).toBe('s.csv line 2: amount "1,00,5" is not an amount with decimal ","')
    const grouping = parseError("g.csv", "Datum;Betrag;Text\n01.11.2026;1.00;x\n", simple)
    expect(grouping.message).toBe('g.csv line 2: amount "1.00" is not an amount with decimal ","')
  })

  it("names the row and the field of a bad date", () => {
    const error = parseError("s.csv", "Datum;Betrag;Text\n01.11.2026;1,00;x\n31.02.2026;2,00;y\n", simple)
    expect(error.message).toBe('s.csv line 3: booking_date "31.02.2026" is not a date (DD.MM.YYYY)')
    expect([error.line, error.field]).toEqual([3, "booking_date"])
  })

  it("refuses a row with both a credit and a debit, and a row with no currency", () => {
    const both = parseError(
      "uk.csv",
      "Date,Description,Reference,Counterparty,Paid in,Paid out,Transaction ID\n01/11/2026,x,,,1.00,2.00,T\n",
      EXAMPLE_CSV_PROFILES.uk_bank
    )
    expect(both.message).toBe('uk.csv line 2: the row has both a credit ("1.00") and a debit ("2.00")')
    const { currency: _currency, ...noCurrency } = simple
    const currency = parseError("c.csv", "Datum;Betrag;Text\n01.11.2026;1,00;x\n", noCurrency)
    expect(currency.message).toBe("c.csv line 2: the row has no currency and the CSV profile sets none")
    expect(currency.field).toBe("currency")
  })

  it("names the line of a quote that is never closed", () => {
    const error = parseError("q.csv", 'Datum;Betrag;Text\n01.11.2026;1,00;x\n02.11.2026;2,00;"open\n', simple)
    expect(error.message).toMatch(/^q\.csv line 3: is not a CSV file the profile can read: Quote Not Closed/)
    expect(error.line).toBe(3)
  })

  it("needs a profile to read CSV", () => {
    expect(() => parseBankStatement({ file_name: "x.csv", content: uk })).toThrow(
      "x.csv: is not a CAMT.053, CAMT.054 or MT940 statement; to import a CSV export, choose its CSV profile"
    )
    expect(() => parseBankStatement({ file_name: "x.csv", content: uk, format: "csv" })).toThrow(
      "x.csv: is read as CSV, which needs a CSV profile (bank_statements.csv_profiles)"
    )
  })
})

describe("validateCsvProfile", () => {
  it("accepts the example profiles and fills in defaults", () => {
    expect(validateCsvProfile("de_sparkasse", EXAMPLE_CSV_PROFILES.de_sparkasse)).toEqual({
      ...EXAMPLE_CSV_PROFILES.de_sparkasse,
      skip_lines: 0,
    })
    expect(validateCsvProfile("minimal", { columns: { booking_date: "D", amount: "A" } })).toEqual({
      delimiter: ";",
      encoding: "utf-8",
      decimal: ",",
      date_format: "DD.MM.YYYY",
      skip_lines: 0,
      sign: "signed",
      columns: { booking_date: "D", amount: "A" },
    })
  })

  it.each([
    [null, "bank_statements.csv_profiles.p must be an object"],
    [{ columns: { booking_date: "D", amount: "A" }, sheet: 1 }, "bank_statements.csv_profiles.p.sheet is not a CSV profile setting"],
    [{ columns: { booking_date: "D" } }, 'bank_statements.csv_profiles.p.columns.amount is required with sign "signed"'],
    [{ sign: "split", columns: { booking_date: "D", credit: "C" } }, "bank_statements.csv_profiles.p.columns.debit is required"],
    [{ sign: "indicator", columns: { booking_date: "D", amount: "A", indicator: "I" } }, "bank_statements.csv_profiles.p.credit_value is required"],
    [{ delimiter: ";;", columns: { booking_date: "D", amount: "A" } }, "bank_statements.csv_profiles.p.delimiter must be one character"],
    [{ encoding: "utf-16", columns: { booking_date: "D", amount: "A" } }, "bank_statements.csv_profiles.p.encoding must be one of"],
    [{ encoding: "koi8-r", columns: { booking_date: "D", amount: "A" } }, "bank_statements.csv_profiles.p.encoding must be one of"],
    [{ date_format: "D.M.Y", columns: { booking_date: "D", amount: "A" } }, "bank_statements.csv_profiles.p.date_format must be one of"],
    [{ skip_lines: -1, columns: { booking_date: "D", amount: "A" } }, "bank_statements.csv_profiles.p.skip_lines must be a whole number"],
    [{ currency: "EURO", columns: { booking_date: "D", amount: "A" } }, "bank_statements.csv_profiles.p.currency must be an ISO 4217"],
    [{ account_iban: "DE00 1234", columns: { booking_date: "D", amount: "A" } }, "bank_statements.csv_profiles.p.account_iban must be a valid IBAN"],
    [{ columns: { booking_date: "D", amount: "" } }, "bank_statements.csv_profiles.p.columns.amount must be a header name"],
    [{ columns: { booking_date: "D", amount: "A", memo: "M" } }, "bank_statements.csv_profiles.p.columns.memo is not a column field"],
  ])("refuses %j naming the option", (raw, message) => {
    expect(() => validateCsvProfile("p", raw)).toThrow(message)
    try {
      validateCsvProfile("p", raw)
    } catch (error) {
      expect((error as { type?: string }).type).toBe("invalid_data")
    }
  })

  it("refuses a code page this Node.js build cannot decode (one without full ICU), naming the option", () => {
    const FullTextDecoder = globalThis.TextDecoder
    class SmallIcuTextDecoder extends FullTextDecoder {
      constructor(label?: string, options?: TextDecoderOptions) {
        if (label && !["utf-8", "utf8", "latin1"].includes(label)) {
          throw new RangeError(`The "${label}" encoding is not supported`)
        }
        super(label, options)
      }
    }
    globalThis.TextDecoder = SmallIcuTextDecoder as typeof TextDecoder
    try {
      expect(() => validateCsvProfile("p", { encoding: "windows-1250", columns: { booking_date: "D", amount: "A" } })).toThrow(
        'medusa-payment-desk option bank_statements.csv_profiles.p.encoding "windows-1250" cannot be decoded by this Node.js build (it needs full ICU)'
      )
      expect(validateCsvProfile("p", { encoding: "utf-8", columns: { booking_date: "D", amount: "A" } }).encoding).toBe("utf-8")
    } finally {
      globalThis.TextDecoder = FullTextDecoder
    }
  })
})
