import { MedusaError } from "@medusajs/framework/utils"
import type { CsvProfile } from "../../types/bank-statements"
import { electronicIban, isIban, isKnownCurrency } from "./bank-codes"

// What a CSV profile of the option `bank_statements.csv_profiles` may say is checked here, with
// the other options: the module sits below the CSV reader, which reads these same settings.

/**
 * The encodings a CSV profile may name: UTF-8 and the single-byte code pages
 * banks of IBAN countries export in, Western (`windows-1252`, `latin1`, which
 * WHATWG decoders read as Windows-1252, `iso-8859-15`), Central European
 * (`windows-1250`, `iso-8859-2`: Czech, Slovak, Polish, Hungarian, Slovene,
 * Croatian, Romanian), Cyrillic (`windows-1251`) and Baltic (`windows-1257`).
 */
export const CSV_ENCODINGS = [
  "utf-8",
  "windows-1252",
  "latin1",
  "iso-8859-15",
  "windows-1250",
  "iso-8859-2",
  "windows-1251",
  "windows-1257",
] as const satisfies readonly NonNullable<CsvProfile["encoding"]>[]
/** The date formats a CSV profile may name (`YYYY.MM.DD.`: Hungarian banks' exports). */
export const CSV_DATE_FORMATS = [
  "DD.MM.YYYY",
  "DD.MM.YY",
  "YYYY-MM-DD",
  "DD/MM/YYYY",
  "MM/DD/YYYY",
  "YYYY.MM.DD.",
  "YYYY.MM.DD",
] as const satisfies readonly NonNullable<CsvProfile["date_format"]>[]
/** How a CSV row may say credit or debit. */
export const CSV_SIGN_CONVENTIONS = ["signed", "split", "indicator"] as const

/**
 * What a CSV profile's name may be (the upload's `profile` field and the key
 * of `bank_statements.csv_profiles`): a letter or digit, then letters, digits,
 * `_`, `.` or `-`, so no name reaches an object's own machinery (`__proto__`).
 */
export const CSV_PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/

/** A field of a CSV profile's `columns` map. */
export type CsvProfileColumn = keyof CsvProfile["columns"]

const PROFILE_KEYS = [
  "delimiter",
  "encoding",
  "decimal",
  "date_format",
  "skip_lines",
  "sign",
  "credit_value",
  "account_iban",
  "currency",
  "pending_values",
  "columns",
] as const
/** Every field a profile's `columns` may map, in the order the reader looks them up. */
export const CSV_COLUMN_KEYS: CsvProfileColumn[] = [
  "booking_date",
  "value_date",
  "amount",
  "credit",
  "debit",
  "indicator",
  "currency",
  "remittance",
  "reference",
  "end_to_end_id",
  "counterparty_name",
  "counterparty_iban",
  "transaction_id",
  "account_iban",
  "status",
]

/**
 * Checks one CSV profile of the plugin options (`bank_statements.csv_profiles.<name>`)
 * and returns it with its defaults filled in. Throws `INVALID_DATA` naming
 * the option, e.g. `bank_statements.csv_profiles.sparkasse.columns.amount`.
 */
export function validateCsvProfile(name: string, raw: unknown): CsvProfile {
  const prefix = `bank_statements.csv_profiles.${name}`
  const invalid = (field: string | null, why: string): never => {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `medusa-payment-desk option ${field ? `${prefix}.${field}` : prefix} ${why}`
    )
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    invalid(null, "must be an object with at least columns.booking_date and an amount column")
  }
  const given = raw as Record<string, unknown>
  for (const key of Object.keys(given)) {
    if (!(PROFILE_KEYS as readonly string[]).includes(key)) {
      invalid(key, `is not a CSV profile setting (known: ${PROFILE_KEYS.join(", ")})`)
    }
  }

  const oneOf = <T extends string>(field: string, allowed: readonly T[], fallback: T): T => {
    const value = given[field] ?? fallback
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
      invalid(field, `must be one of ${allowed.map((entry) => `"${entry}"`).join(", ")}`)
    }
    return value as T
  }

  const delimiter = given.delimiter ?? ";"
  if (typeof delimiter !== "string" || delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    invalid("delimiter", 'must be one character such as ";", "," or a tab')
  }
  const encoding = oneOf("encoding", CSV_ENCODINGS, "utf-8")
  try {
    new TextDecoder(encoding)
  } catch {
    // Node.js built without full ICU (`--with-intl=small-icu`) decodes UTF-8 and Latin-1 only.
    invalid("encoding", `"${encoding}" cannot be decoded by this Node.js build (it needs full ICU)`)
  }
  const decimal = oneOf("decimal", [",", "."] as const, ",")
  const dateFormat = oneOf("date_format", CSV_DATE_FORMATS, "DD.MM.YYYY")
  const sign = oneOf("sign", CSV_SIGN_CONVENTIONS, "signed")
  const skipLines = given.skip_lines ?? 0
  if (typeof skipLines !== "number" || !Number.isInteger(skipLines) || skipLines < 0) {
    invalid("skip_lines", "must be a whole number of lines, 0 or more")
  }

  const profile: CsvProfile = {
    delimiter: delimiter as string,
    encoding,
    decimal,
    date_format: dateFormat,
    skip_lines: skipLines as number,
    sign,
    columns: { booking_date: "" },
  }

  if (given.credit_value !== undefined) {
    if (typeof given.credit_value !== "string" || given.credit_value.trim() === "") {
      invalid("credit_value", 'must be the indicator column\'s value for a credit, e.g. "H" or "CR"')
    }
    profile.credit_value = given.credit_value as string
  }
  if (sign === "indicator" && profile.credit_value === undefined) {
    invalid("credit_value", 'is required with sign "indicator" (the indicator column\'s value for a credit)')
  }
  if (given.account_iban !== undefined) {
    if (typeof given.account_iban !== "string" || !isIban(given.account_iban)) {
      invalid("account_iban", "must be a valid IBAN")
    }
    profile.account_iban = electronicIban(given.account_iban as string) as string
  }
  if (given.currency !== undefined) {
    if (typeof given.currency !== "string" || !isKnownCurrency(given.currency)) {
      invalid("currency", 'must be an ISO 4217 currency code such as "EUR"')
    }
    profile.currency = (given.currency as string).toUpperCase()
  }

  const columns = given.columns
  if (typeof columns !== "object" || columns === null || Array.isArray(columns)) {
    invalid("columns", "must map fields to header names, e.g. { booking_date: \"Buchungstag\", amount: \"Betrag\" }")
  }
  const mapped = columns as Record<string, unknown>
  for (const [key, value] of Object.entries(mapped)) {
    if (!(CSV_COLUMN_KEYS as string[]).includes(key)) {
      invalid(`columns.${key}`, `is not a column field (known: ${CSV_COLUMN_KEYS.join(", ")})`)
    }
    const names = key === "remittance" && Array.isArray(value) ? value : [value]
    if (names.length === 0 || !names.every((entry) => typeof entry === "string" && entry.trim() !== "")) {
      invalid(
        `columns.${key}`,
        key === "remittance" ? "must be a header name or a list of header names" : "must be a header name"
      )
    }
  }
  const required: CsvProfileColumn[] = ["booking_date"]
  if (sign === "split") {
    required.push("credit", "debit")
  } else {
    required.push("amount")
  }
  if (sign === "indicator") {
    required.push("indicator")
  }
  for (const key of required) {
    if (mapped[key] === undefined) {
      invalid(`columns.${key}`, `is required with sign "${sign}"`)
    }
  }
  if (given.pending_values !== undefined) {
    const values = given.pending_values
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string" && v.trim() !== "")) {
      invalid("pending_values", 'must be a list of the status column\'s values for rows not booked yet, e.g. ["Umsatz vorgemerkt"]')
    }
    if (mapped.status === undefined) {
      invalid("columns.status", "is required with pending_values (the column that holds them)")
    }
    profile.pending_values = values as string[]
  } else if (mapped.status !== undefined) {
    invalid("pending_values", "is required with columns.status (the values that mark a row pending)")
  }
  profile.columns = { ...(mapped as CsvProfile["columns"]) }
  return profile
}
