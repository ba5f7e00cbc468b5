import { camt052Error, camtNamespace, isCamt052, parseCamt } from "./camt"
import { parseCsvStatement } from "./csv"
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
  const text = decodeStatementText(content)
  if (text.trimStart().startsWith("<")) {
    return camtNamespace(text)?.format ?? null
  }
  return looksLikeMt940(text) ? "mt940" : null
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
  if (!format && isCamt052(decodeStatementText(content))) {
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
