import { parse as parseStream } from "csv-parse"
import { parse } from "csv-parse/sync"
import { isUtf8 } from "node:buffer"
import { once } from "node:events"
import { setImmediate as yieldToLoop } from "node:timers/promises"
import { electronicIban, isIban, isKnownCurrency } from "../../modules/payment-desk/bank-codes"
import { CSV_COLUMN_KEYS, CSV_DATE_FORMATS, type CsvProfileColumn as Column } from "../../modules/payment-desk/csv-profile"
import { isZeroAmount, statementAmount } from "./amounts"
import { findCreditorReference } from "./creditor-reference"
import { BankStatementError } from "./errors"
import type { BankLineDirection, CsvProfile, ParsedBankLine, ParsedBankStatementFile, SkippedBankEntry, SkippedRow } from "../../types/bank-statements"

type DatePart = "d" | "m" | "y"
const DATE_PATTERNS: Record<(typeof CSV_DATE_FORMATS)[number], { pattern: RegExp; order: [DatePart, DatePart, DatePart] }> = {
  "DD.MM.YYYY": { pattern: /^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$/, order: ["d", "m", "y"] },
  "DD.MM.YY": { pattern: /^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{2})$/, order: ["d", "m", "y"] },
  "YYYY-MM-DD": { pattern: /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/, order: ["y", "m", "d"] },
  "DD/MM/YYYY": { pattern: /^([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})$/, order: ["d", "m", "y"] },
  "MM/DD/YYYY": { pattern: /^([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})$/, order: ["m", "d", "y"] },
  "YYYY.MM.DD.": { pattern: /^([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})\.$/, order: ["y", "m", "d"] },
  "YYYY.MM.DD": { pattern: /^([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})$/, order: ["y", "m", "d"] },
}

// A time after a date cell's date, with seconds, fractions and a UTC offset (Monzo: `2018-02-25 12:34:56 +0000`).
const TIME_OF_DAY = /[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?(?: ?(?:Z|[+-][0-9]{2}:?[0-9]{2}))?$/

/** A date cell in the profile's format as `YYYY-MM-DD` (a time after the date, with its UTC offset, is ignored), or null. */
function csvDate(value: string, format: (typeof CSV_DATE_FORMATS)[number]): string | null {
  const { pattern, order } = DATE_PATTERNS[format]
  const match = pattern.exec(value.trim().replace(TIME_OF_DAY, ""))
  if (!match) {
    return null
  }
  const parts = { d: 0, m: 0, y: 0 }
  order.forEach((part, index) => {
    parts[part] = Number(match[index + 1])
  })
  const year = parts.y < 100 ? 2000 + parts.y : parts.y
  const date = new Date(Date.UTC(year, parts.m - 1, parts.d))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== parts.m - 1 || date.getUTCDate() !== parts.d) {
    return null
  }
  return date.toISOString().slice(0, 10)
}

/**
 * An amount cell as a sign and a plain decimal (`{ negative, plain: "1234.5" }`),
 * or null when it is not a number in the profile's format. Accepts a leading
 * `+`/`-`, a trailing `-` (`12,00-`), parentheses, a currency code or symbol,
 * and thousands separators (the other of `.`/`,`, spaces, apostrophes) in
 * groups of three.
 */
function csvAmount(raw: string, decimal: "," | "."): { negative: boolean; plain: string } | null {
  let value = raw.replace(/[\u00a0\u202f]/g, " ").trim()
  let negative = false
  if (/^\(.*\)$/.test(value)) {
    negative = true
    value = value.slice(1, -1).trim()
  }
  value = value.replace(/^(?:[A-Za-z]{3}|[€$£])\s*/, "").replace(/\s*(?:[A-Za-z]{3}|[€$£])$/, "")
  if (value.startsWith("-") || value.startsWith("−")) {
    negative = true
    value = value.slice(1).trim()
  } else if (value.startsWith("+")) {
    value = value.slice(1).trim()
  } else if (value.endsWith("-")) {
    negative = true
    value = value.slice(0, -1).trim()
  }
  const parts = value.split(decimal)
  if (parts.length > 2) {
    return null
  }
  const [integer, fraction] = parts
  const groups = integer.split(decimal === "," ? /[. ']/ : /[, ']/)
  if (groups.length > 1 && !(/^[0-9]{1,3}$/.test(groups[0]) && groups.slice(1).every((group) => /^[0-9]{3}$/.test(group)))) {
    return null
  }
  const digits = groups.join("")
  if (!/^[0-9]+$/.test(digits) || (fraction !== undefined && !/^[0-9]*$/.test(fraction))) {
    return null
  }
  return { negative, plain: fraction === undefined ? digits : `${digits}.${fraction}` }
}

/**
 * The encoding a CSV file is decoded with, whole or slice by slice: UTF-8
 * after a UTF-8 BOM, whatever the profile says; with a UTF-8 profile, UTF-8
 * when the bytes are UTF-8, else Windows-1252; otherwise the profile's
 * single-byte encoding ("latin1" is Windows-1252 to WHATWG decoders: € at 0x80).
 */
function textEncoding(content: Buffer, encoding: NonNullable<CsvProfile["encoding"]>): string {
  const hasBom = content.length >= 3 && content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf
  if (hasBom) {
    return "utf-8"
  }
  if (encoding === "utf-8") {
    return isUtf8(content) ? "utf-8" : "windows-1252"
  }
  return encoding
}

/** How many rows above the data a CSV export may carry before its header row is found (a bank's preamble). */
export const CSV_HEADER_SEARCH_ROWS = 50

type CsvRecord = { record: string[]; info: { lines: number } }

const CSV_MAX_RECORD = 64 * 1024

/**
 * The line breaks to split rows on, from the file's first line break (its
 * first 64 kB only): csv-parse detects the break by the first one it meets and
 * takes the CR of a doubled `\r\r\n` (Rabobank's export) for it, leaving an LF
 * at the start of every row and every line number off. Such a file is split
 * at `\r\r\n` (or a plain `\r\n`/`\n`); any other is left to csv-parse.
 */
function recordDelimiters(content: Buffer): string[] | undefined {
  const head = Math.min(content.length, CSV_MAX_RECORD)
  for (let index = 0; index < head; index += 1) {
    if (content[index] === 0x0a) {
      return undefined
    }
    if (content[index] === 0x0d) {
      return content[index + 1] === 0x0d && content[index + 2] === 0x0a ? ["\r\r\n", "\r\n", "\n"] : undefined
    }
  }
  return undefined
}

// csv-parse's options: every row may have its own column count (preambles,
// summary rows), stray quotes inside a field are kept as text, and one record
// is bounded so an unclosed quote cannot swallow the whole file into memory.
const csvOptions = (delimiter: string, skipLines: number, recordDelimiter: string[] | undefined) => ({
  delimiter,
  ...(recordDelimiter ? { record_delimiter: recordDelimiter } : {}),
  from_line: skipLines + 1,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  max_record_size: CSV_MAX_RECORD,
  bom: true,
  info: true,
})

// Free text, where a quote may belong (`5" Schrauben`); every other column holds an account, a date, an amount or a code.
const TEXT_COLUMNS = new Set<Column>(["remittance", "counterparty_name"])

/**
 * A code or number cell without a quote whose pair the export lost at its start
 * or end (Rabobank: `NL77RABO0311467415","EUR",…`, the opening quote missing,
 * which csv-parse keeps as text): `NL77RABO0311467415`. A cell with two quotes,
 * or one inside it, is left as it is.
 */
function withoutLoneQuote(value: string): string {
  const at = value.indexOf('"')
  if (at === -1 || at !== value.lastIndexOf('"') || (at !== 0 && at !== value.length - 1)) {
    return value
  }
  return (at === 0 ? value.slice(1) : value.slice(0, -1)).trim()
}

function notCsv(fileName: string, error: unknown): BankStatementError {
  const line = typeof (error as { lines?: unknown }).lines === "number" ? (error as { lines: number }).lines : null
  return new BankStatementError({
    file_name: fileName,
    line,
    message: `is not a CSV file the profile can read: ${error instanceof Error ? error.message : String(error)}`,
  })
}

/**
 * Reads CSV rows one at a time into bank lines: finds the header row (the
 * first row, after `skip_lines`, holding the profile's required column
 * names; a preamble of up to {@link CSV_HEADER_SEARCH_ROWS} rows above it is
 * passed over), skips rows whose status column says pending, and keeps rows
 * without a date at the end of the file as summary rows instead of refusing
 * them. Errors name the file, the line and the field.
 */
class CsvRowReader {
  readonly lines: ParsedBankLine[] = []
  readonly pending: SkippedRow[] = []
  readonly summary: SkippedRow[] = []
  /** Rows that book nothing (a zero amount, or a split row with neither credit nor debit): entries that give no line. */
  readonly skipped: SkippedBankEntry[] = []
  private positions: Map<Column, number[]> | null = null
  private headerLine = 0
  private preamble: string[][] = []
  private trailer: { line: number; text: string; error: BankStatementError }[] = []
  private readonly delimiter: string
  private readonly decimal: "," | "."
  private readonly dateFormat: (typeof CSV_DATE_FORMATS)[number]
  private readonly sign: NonNullable<CsvProfile["sign"]>
  private readonly pendingValues: Set<string>

  constructor(
    private readonly fileName: string,
    private readonly profile: CsvProfile
  ) {
    this.delimiter = profile.delimiter ?? ";"
    this.decimal = profile.decimal ?? ","
    this.dateFormat = profile.date_format ?? "DD.MM.YYYY"
    this.sign = profile.sign ?? "signed"
    this.pendingValues = new Set((profile.pending_values ?? []).map((value) => value.trim().toLowerCase()))
  }

  /** Rows read past the header so far (every row the line cap counts). */
  get rows(): number {
    return this.lines.length + this.skipped.length + this.pending.length + this.summary.length + this.trailer.length
  }

  /** Takes the next record: the header row until it is found, then a data row. */
  push({ record, info }: CsvRecord): void {
    if (this.positions === null) {
      this.header(record, info.lines)
      return
    }
    if (record.every((cell) => cell.trim() === "")) {
      return
    }
    this.row(record, info.lines)
  }

  /** The lines read, once every record was pushed: a file without a header row is refused. */
  finish(): ParsedBankStatementFile {
    if (this.positions === null) {
      const skipLines = this.profile.skip_lines ?? 0
      if (this.preamble.length === 0) {
        throw new BankStatementError({ file_name: this.fileName, message: `has no header row after ${skipLines} skipped lines` })
      }
      // No row held the required columns: name what the first row lacks, as a file without a preamble would.
      this.locate(this.preamble[0], (this.profile.skip_lines ?? 0) + 1, true)
    }
    for (const row of this.trailer) {
      this.summary.push({ line: row.line, text: row.text })
    }
    this.trailer = []
    return {
      format: "csv",
      statement_ids: [],
      lines: this.lines,
      ...(this.skipped.length ? { skipped: this.skipped } : {}),
      csv_rows_skipped: { pending: this.pending, summary_rows: this.summary },
    }
  }

  private header(record: string[], line: number): void {
    if (this.locate(record, line, false)) {
      return
    }
    this.preamble.push(record)
    if (this.preamble.length >= CSV_HEADER_SEARCH_ROWS) {
      this.locate(this.preamble[0], (this.profile.skip_lines ?? 0) + 1, true)
    }
  }

  /** Whether `record` is the header row (its positions are kept); with `strict`, throws naming the first missing column. */
  private locate(record: string[], line: number, strict: boolean): boolean {
    const index = new Map<string, number>()
    record.forEach((cell, position) => {
      const name = cell.replace(/^\uFEFF/, "").trim().toLowerCase()
      if (!index.has(name)) {
        index.set(name, position)
      }
    })
    const positions = new Map<Column, number[]>()
    for (const field of CSV_COLUMN_KEYS) {
      const mapped = this.profile.columns[field]
      if (mapped === undefined) {
        continue
      }
      const found: number[] = []
      for (const name of Array.isArray(mapped) ? mapped : [mapped]) {
        const position = index.get(name.trim().toLowerCase())
        if (position === undefined) {
          if (!strict) {
            return false
          }
          throw new BankStatementError({
            file_name: this.fileName,
            line,
            field,
            message: `column "${name}" (${field}) is not in the header row`,
          })
        }
        found.push(position)
      }
      positions.set(field, found)
    }
    const required: Column[] = this.sign === "split" ? ["booking_date", "credit", "debit"] : ["booking_date", "amount"]
    if (this.sign === "indicator") {
      required.push("indicator")
    }
    for (const field of required) {
      if (!positions.has(field)) {
        throw new BankStatementError({
          file_name: this.fileName,
          field,
          message: `the CSV profile names no ${field} column (required with sign "${this.sign}")`,
        })
      }
    }
    this.positions = positions
    this.headerLine = line
    return true
  }

  private row(record: string[], line: number): void {
    const positions = this.positions as Map<Column, number[]>
    const { fileName, profile, decimal, dateFormat, sign } = this
    const fail = (field: string, message: string): never => {
      throw new BankStatementError({ file_name: fileName, line, field, message })
    }
    const cell = (field: Column): string | null => {
      const found = positions.get(field)
      if (!found) {
        return null
      }
      const values = found
        .map((position) => (record[position] ?? "").trim())
        .map((value) => (TEXT_COLUMNS.has(field) ? value : withoutLoneQuote(value)))
        .filter((value) => value !== "")
      return values.length ? values.join(" ").replace(/\s+/g, " ") : null
    }

    const bookingRaw = cell("booking_date")
    if (!bookingRaw || !DATE_PATTERNS[dateFormat].pattern.test(bookingRaw.replace(TIME_OF_DAY, ""))) {
      // No date at all: a summary row ("Kontostand", "Total") if only such rows follow; an error otherwise.
      const error = new BankStatementError({
        file_name: fileName,
        line,
        field: "booking_date",
        message: bookingRaw ? `booking_date "${bookingRaw}" is not a date (${dateFormat})` : "booking_date is empty",
      })
      this.trailer.push({ line, text: record.join(this.delimiter).slice(0, 200), error })
      return
    }
    if (this.trailer.length) {
      throw this.trailer[0].error
    }
    const status = cell("status")
    if (status !== null && this.pendingValues.has(status.toLowerCase())) {
      this.pending.push({ line, text: record.join(this.delimiter).slice(0, 200) })
      return
    }
    const bookingDate = csvDate(bookingRaw, dateFormat)
    if (!bookingDate) {
      fail("booking_date", `booking_date "${bookingRaw}" is not a date (${dateFormat})`)
    }
    const valueRaw = cell("value_date")
    const valueDate = valueRaw ? csvDate(valueRaw, dateFormat) : null
    if (valueRaw && !valueDate) {
      fail("value_date", `value_date "${valueRaw}" is not a date (${dateFormat})`)
    }

    const currency = cell("currency") ?? profile.currency ?? null
    if (!currency) {
      fail("currency", "the row has no currency and the CSV profile sets none")
    }
    if (!isKnownCurrency(currency as string)) {
      fail("currency", `currency "${currency}" is not an ISO 4217 currency code`)
    }
    const amountOf = (field: Column, raw: string) => {
      const parsed = csvAmount(raw, decimal)
      if (!parsed) {
        fail(field, `${field} "${raw}" is not an amount with decimal "${decimal}"`)
      }
      const { negative, plain } = parsed as { negative: boolean; plain: string }
      const amount = statementAmount(plain, currency as string, { file_name: fileName, line, field }, raw)
      return { negative, amount }
    }

    let direction: BankLineDirection
    let amount: string
    if (sign === "split") {
      const credit = cell("credit")
      const debit = cell("debit")
      const creditAmount = credit ? amountOf("credit", credit) : null
      const debitAmount = debit ? amountOf("debit", debit) : null
      const hasCredit = creditAmount !== null && !isZeroAmount(creditAmount.amount)
      const hasDebit = debitAmount !== null && !isZeroAmount(debitAmount.amount)
      if (hasCredit && hasDebit) {
        fail("credit", `the row has both a credit ("${credit}") and a debit ("${debit}")`)
      }
      if (!hasCredit && !hasDebit) {
        // Listed, not dropped: the import counts it among the file's entries.
        const zero = creditAmount ?? debitAmount
        this.skipped.push({ line, reason: "zero_amount", direction: null, amount: zero ? zero.amount : null, currency_code: (currency as string).toLowerCase(), booking_date: bookingDate })
        return
      }
      direction = hasCredit ? "credit" : "debit"
      amount = hasCredit ? (creditAmount as { amount: string }).amount : (debitAmount as { amount: string }).amount
    } else {
      const raw = cell("amount")
      if (!raw) {
        fail("amount", "amount is empty")
      }
      const parsed = amountOf("amount", raw as string)
      if (isZeroAmount(parsed.amount)) {
        this.skipped.push({ line, reason: "zero_amount", direction: null, amount: parsed.amount, currency_code: (currency as string).toLowerCase(), booking_date: bookingDate })
        return
      }
      amount = parsed.amount
      if (sign === "indicator") {
        const indicator = cell("indicator")
        if (!indicator) {
          fail("indicator", "indicator is empty")
        }
        direction =
          (indicator as string).toLowerCase() === (profile.credit_value ?? "").trim().toLowerCase() ? "credit" : "debit"
      } else {
        direction = parsed.negative ? "debit" : "credit"
      }
    }

    const accountCell = cell("account_iban") ?? profile.account_iban ?? null
    const accountIsIban = accountCell !== null && isIban(accountCell)
    const counterpartyAccount = cell("counterparty_iban")
    const remittance = cell("remittance")
    const reference = cell("reference")
    const endToEnd = cell("end_to_end_id")
    this.lines.push({
      line,
      account_iban: accountIsIban ? electronicIban(accountCell) : null,
      account_number: accountCell !== null && !accountIsIban ? accountCell : null,
      direction,
      amount,
      currency_code: (currency as string).toLowerCase(),
      booking_date: bookingDate as string,
      value_date: valueDate,
      remittance,
      structured_reference: reference ? reference.replace(/\s+/g, "") : findCreditorReference(remittance),
      end_to_end_id: endToEnd && endToEnd.toUpperCase() !== "NOTPROVIDED" ? endToEnd : null,
      counterparty_name: cell("counterparty_name"),
      counterparty_iban: counterpartyAccount && isIban(counterpartyAccount) ? electronicIban(counterpartyAccount) : null,
      bank_transaction_id: cell("transaction_id"),
    })
  }
}

/**
 * Reads a bank's CSV export with a {@link CsvProfile}, all at once: one line
 * per row with a non-zero amount; a row that books nothing (zero, or a split
 * row with neither credit nor debit) is a `skipped` entry (`zero_amount`). The
 * header row (after `skip_lines`, or the first row holding the profile's
 * columns) must hold every column the profile names; `line` is the row's line
 * in the file. Rows the status column marks
 * pending and trailing summary rows are reported in `csv_rows_skipped`. Errors name
 * the file, the line and the field. For uploads, {@link readCsvStatement}.
 */
export function parseCsvStatement(fileName: string, content: Buffer, profile: CsvProfile): ParsedBankStatementFile {
  const reader = new CsvRowReader(fileName, profile)
  let records: CsvRecord[]
  try {
    const text = new TextDecoder(textEncoding(content, profile.encoding ?? "utf-8")).decode(content)
    records = parse(text, csvOptions(profile.delimiter ?? ";", profile.skip_lines ?? 0, recordDelimiters(content))) as unknown as CsvRecord[]
  } catch (error) {
    throw notCsv(fileName, error)
  }
  records.forEach((record) => reader.push(record))
  return reader.finish()
}

/** Limits of {@link readCsvStatement}. */
export type ReadCsvOptions = {
  /** Most rows the file may hold below its header; one more is refused with a 400 naming the line. */
  max_lines: number
  /** Longest run of work between two yields to the event loop, in ms; default 20. */
  slice_ms?: number
}

/**
 * Reads a bank's CSV export as {@link parseCsvStatement} does, without ever
 * holding the event loop for long: the text is fed to csv-parse 16 kB at a
 * time and the reader yields (`setImmediate`) whenever it has worked
 * `slice_ms`. A file with more than `max_lines` rows is refused as soon as
 * the row past the cap is read (`bank_statements.max_lines`), so memory stays
 * bounded by the cap, not by the file.
 */
export async function readCsvStatement(
  fileName: string,
  content: Buffer,
  profile: CsvProfile,
  options: ReadCsvOptions
): Promise<ParsedBankStatementFile> {
  const reader = new CsvRowReader(fileName, profile)
  const parser = parseStream(csvOptions(profile.delimiter ?? ";", profile.skip_lines ?? 0, recordDelimiters(content)))
  // Decoded a slice at a time (never the whole file in one block or one string), in the encoding
  // `textEncoding` chooses; a UTF-8 character cut by a slice's end is held for the next slice.
  const decoder = new TextDecoder(textEncoding(content, profile.encoding ?? "utf-8"))
  const CHUNK = 16 * 1024
  // The text goes in a slice at a time, as fast as the rows are taken out (back pressure keeps memory flat).
  const feed = (async () => {
    for (let start = 0; start < content.length && !parser.destroyed; start += CHUNK) {
      const text = decoder.decode(content.subarray(start, start + CHUNK), { stream: start + CHUNK < content.length })
      if (!parser.write(text)) {
        await once(parser, "drain")
      }
    }
    parser.end()
  })()
  feed.catch(() => undefined)
  const sliceMs = options.slice_ms ?? 20
  await yieldToLoop()
  let since = performance.now()
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      reader.push(record)
      if (reader.rows > options.max_lines) {
        throw new BankStatementError({
          file_name: fileName,
          line: record.info.lines,
          message: `holds more than ${options.max_lines.toLocaleString("en")} rows (bank_statements.max_lines); split the file by date`,
        })
      }
      if (performance.now() - since > sliceMs) {
        await yieldToLoop()
        since = performance.now()
      }
    }
  } catch (error) {
    parser.destroy()
    throw error instanceof BankStatementError ? error : notCsv(fileName, error)
  }
  return reader.finish()
}
