import { camt052Error, camtNamespace, isCamt052, parseCamt } from "./camt"
import { parseCsvStatement, readCsvStatement } from "./csv"
import { setImmediate as yieldToLoop } from "node:timers/promises"
import { decodeStatementText } from "./decode"
import { BankStatementError } from "./errors"
import { looksLikeMt940, parseMt940 } from "./mt940"
import type { BankStatementFormat, CsvProfile, ParsedBankStatementFile } from "../../types/bank-statements"

/** An uploaded statement file and how to read it. */
export type ParseBankStatementInput = {
  /** The uploaded file's name, used in every error message. */
  file_name: string
  content: Buffer
  /** The format when the merchant chose one; detected from the content otherwise. */
  format?: BankStatementFormat
  /** How to read a CSV export; required for CSV (a CSV file is never guessed). */
  profile?: CsvProfile
}

/**
 * The format of a statement file from its content: CAMT.053/CAMT.054 by the
 * ISO 20022 namespace of its `Document`, MT940 by its `:20:`, `:25:` and
 * `:61:` (or `:60F:`) fields, with or without SWIFT `{1:…}{4:` blocks. Null
 * for anything else, CSV included (CSV needs a profile, so it is never guessed).
 */
export function detectBankStatementFormat(content: Buffer): BankStatementFormat | null {
  // Only the head is read: a format shows in its first lines, and no pattern
  // then runs over a whole (possibly hostile) upload.
  const text = decodeStatementText(content.subarray(0, FORMAT_HEAD_BYTES))
  if (text.trimStart().startsWith("<")) {
    return camtNamespace(text)?.format ?? null
  }
  return looksLikeMt940(text) ? "mt940" : null
}

/** How many bytes of a file's start {@link detectBankStatementFormat} reads. */
export const FORMAT_HEAD_BYTES = 8192

/** Limits of {@link readBankStatement}. */
export type ReadBankStatementOptions = {
  /** Most lines (CSV rows, CAMT entries' transactions, MT940 `:61:` lines) one file may hold (`bank_statements.max_lines`). */
  max_lines: number
}

/**
 * Reads an uploaded statement file as {@link parseBankStatement} does, for
 * the upload path: a CSV file is read in slices that yield to the event loop
 * and is refused at the row past `max_lines` (a 400 naming the line), so one
 * large file neither stalls the server nor grows its memory past the cap; a
 * CAMT or MT940 file over the cap is refused the same way once read.
 */
export async function readBankStatement(input: ParseBankStatementInput, options: ReadBankStatementOptions): Promise<ParsedBankStatementFile> {
  const parsed = await readLines(input, options)
  refuseControlCharacters(input.file_name, parsed)
  return parsed
}

// The text fields of a parsed line that are stored as they are; a NUL or other control character in one is refused.
const TEXT_FIELDS = [
  "remittance",
  "structured_reference",
  "end_to_end_id",
  "counterparty_name",
  "bank_transaction_id",
  "account_number",
  "customer_reference",
] as const
// C0 controls (tab, line feed and carriage return only in the remittance, which banks wrap), DEL and C1.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/
const CONTROL_IN_REMITTANCE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/

/** Refuses a line whose text holds a NUL or other control character, naming the file, the line and the field (it could not be stored). */
function refuseControlCharacters(fileName: string, parsed: ParsedBankStatementFile): void {
  for (const line of parsed.lines) {
    for (const field of TEXT_FIELDS) {
      const value = line[field]
      const match = typeof value === "string" ? (field === "remittance" ? CONTROL_IN_REMITTANCE : CONTROL).exec(value) : null
      if (match) {
        throw new BankStatementError({
          file_name: fileName,
          line: line.line,
          unit: parsed.format.startsWith("camt") ? "entry" : "line",
          field,
          message: `${field} holds a control character (U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}), which a statement line cannot`,
        })
      }
    }
  }
}

async function readLines(input: ParseBankStatementInput, options: ReadBankStatementOptions): Promise<ParsedBankStatementFile> {
  const format = input.format ?? detectBankStatementFormat(input.content) ?? (input.profile ? "csv" : null)
  if (format !== "csv" || !input.profile) {
    await yieldToLoop()
    const parsed = parseBankStatement(input)
    if (parsed.lines.length > options.max_lines) {
      throw new BankStatementError({
        file_name: input.file_name,
        line: parsed.lines[options.max_lines].line,
        unit: parsed.format.startsWith("camt") ? "entry" : "line",
        message: `holds more than ${options.max_lines.toLocaleString("en")} lines (bank_statements.max_lines); split the file by date`,
      })
    }
    return parsed
  }
  if (input.content.length === 0 || decodeStatementText(input.content.subarray(0, FORMAT_HEAD_BYTES)).trim() === "" && decodeStatementText(input.content).trim() === "") {
    throw new BankStatementError({ file_name: input.file_name, message: "is empty" })
  }
  return readCsvStatement(input.file_name, input.content, input.profile, { max_lines: options.max_lines })
}

/**
 * Reads a bank statement file into booked lines, the same shape whatever the
 * format. Throws a {@link BankStatementError} (400) naming the file, the line
 * or entry and the field when the file cannot be read.
 */
export function parseBankStatement(input: ParseBankStatementInput): ParsedBankStatementFile {
  const { file_name: fileName, content } = input
  if (content.length === 0 || decodeStatementText(content).trim() === "") {
    throw new BankStatementError({ file_name: fileName, message: "is empty" })
  }
  const detected = detectBankStatementFormat(content)
  const format = input.format ?? detected ?? (input.profile ? "csv" : null)
  if (!format && isCamt052(decodeStatementText(content.subarray(0, FORMAT_HEAD_BYTES)))) {
    throw camt052Error(fileName)
  }
  if (!format) {
    throw new BankStatementError({
      file_name: fileName,
      message: "is not a CAMT.053, CAMT.054 or MT940 statement; to import a CSV export, choose its CSV profile",
    })
  }

  let parsed: ParsedBankStatementFile
  switch (format) {
    case "camt.053":
    case "camt.054":
      parsed = parseCamt(fileName, content)
      break
    case "mt940":
      parsed = parseMt940(fileName, content)
      break
    case "csv":
      if (!input.profile) {
        throw new BankStatementError({
          file_name: fileName,
          field: "profile",
          message: "is read as CSV, which needs a CSV profile (bank_statements.csv_profiles)",
        })
      }
      parsed = parseCsvStatement(fileName, content, input.profile)
      break
    default:
      throw new BankStatementError({ file_name: fileName, field: "format", message: `format "${format}" is not known` })
  }
  if (parsed.format !== format) {
    throw new BankStatementError({
      file_name: fileName,
      field: "format",
      message: `is a ${parsed.format} file, not ${format}`,
    })
  }
  return parsed
}
