import { camt052Error, camtNamespace, camtSlices, isCamt052 } from "./camt"
import { parseCsvStatement, readCsvStatement } from "./csv"
import { decodeStatementText } from "./decode"
import { BankStatementError } from "./errors"
import { looksLikeMt940, mt940Slices } from "./mt940"
import { runSliced, runSlicedAsync, type Sliced, type StatementLimits } from "./slices"
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
 * the upload path: the file is read in slices that yield to the event loop
 * (a CSV 16 kB at a time; a CAMT file outlined 64 kB at a time by a
 * streaming tokenizer, then read entry by entry; an MT940 file 500 lines
 * at a time) and is refused at the line past `max_lines` (a 400 naming the
 * line or entry), so one large file neither stalls the server nor grows its
 * memory past the cap.
 */
export async function readBankStatement(input: ParseBankStatementInput, options: ReadBankStatementOptions): Promise<ParsedBankStatementFile> {
  const parsed = await readLines(input, options)
  await runSlicedAsync(refuseControlCharacters(input.file_name, parsed))
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

/** Refuses a line whose text holds a NUL or other control character, naming the file, the line and the field (it could not be stored); pauses every 2,000 lines. */
function* refuseControlCharacters(fileName: string, parsed: ParsedBankStatementFile): Sliced<void> {
  for (const [index, line] of parsed.lines.entries()) {
    if (index > 0 && index % 2_000 === 0) {
      yield
    }
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
    return runSlicedAsync(bankStatementSlices(input, { max_lines: options.max_lines }))
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
  return runSliced(bankStatementSlices(input))
}

/** {@link parseBankStatement} in slices (see {@link readBankStatement}), checking `limits` as it reads. */
function* bankStatementSlices(input: ParseBankStatementInput, limits: StatementLimits = {}): Sliced<ParsedBankStatementFile> {
  const { file_name: fileName, content } = input
  yield
  // Decoded once (~20 ms for 10 MB), a slice of its own; the parsers read this text.
  const text = content.length === 0 ? "" : decodeStatementText(content)
  if (text.trim() === "") {
    throw new BankStatementError({ file_name: fileName, message: "is empty" })
  }
  yield
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
      parsed = yield* camtSlices(fileName, text, limits)
      break
    case "mt940":
      parsed = yield* mt940Slices(fileName, text, limits)
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
