/**
 * Bank statement files: read CAMT.053/054, MT940 and CSV exports into one
 * line shape ({@link ParsedBankLine}) for the statement import.
 */
export * from "../../types/bank-statements"
export { BankStatementError } from "./errors"
export type { BankStatementErrorInput } from "./errors"
export { parseBankStatement, detectBankStatementFormat } from "./parse-bank-statement"
export type { ParseBankStatementInput } from "./parse-bank-statement"
export { parseCamt, CAMT_VERSIONS } from "./camt"
export { parseMt940 } from "./mt940"
export { parseCsvStatement } from "./csv"
export { validateCsvProfile, CSV_DATE_FORMATS, CSV_ENCODINGS, CSV_SIGN_CONVENTIONS } from "../../modules/payment-desk/csv-profile"
export { EXAMPLE_CSV_PROFILES } from "./csv-profiles"
export { findCreditorReference, findCreditorReferences } from "./creditor-reference"
export { currencyDecimals } from "./amounts"
