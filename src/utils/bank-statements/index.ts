/**
 * Bank statement files: read CAMT.053/054, MT940 and CSV exports into one
 * line shape ({@link ParsedBankLine}) for the statement import.
 */
export * from "./types"
export { BankStatementError } from "./errors"
export type { BankStatementErrorInput } from "./errors"
export { parseBankStatement, detectBankStatementFormat } from "./parse-bank-statement"
export type { ParseBankStatementInput } from "./parse-bank-statement"
export { parseCamt, CAMT_VERSIONS } from "./camt"
export { parseMt940 } from "./mt940"
export { parseCsvStatement, validateCsvProfile, CSV_DATE_FORMATS, CSV_ENCODINGS, CSV_SIGN_CONVENTIONS } from "./csv"
export { EXAMPLE_CSV_PROFILES } from "./csv-profiles"
export { findCreditorReference, findCreditorReferences } from "./creditor-reference"
export { currencyDecimals } from "./amounts"
