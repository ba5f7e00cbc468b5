import { parse } from "csv-parse/sync"
import { electronicIban, isIban, isKnownCurrency } from "../../modules/payment-desk/bank-codes"
import { CSV_COLUMN_KEYS, CSV_DATE_FORMATS, type CsvProfileColumn as Column } from "../../modules/payment-desk/csv-profile"
import { isZeroAmount, statementAmount } from "./amounts"
import { findCreditorReference } from "./creditor-reference"
import { decodeStatementText } from "./decode"
import { BankStatementError } from "./errors"
import type { BankLineDirection, CsvProfile, ParsedBankLine, ParsedBankStatementFile } from "../../types/bank-statements"

type DatePart = "d" | "m" | "y"
const DATE_PATTERNS: Record<(typeof CSV_DATE_FORMATS)[number], { pattern: RegExp; order: [DatePart, DatePart, DatePart] }> = {
  "DD.MM.YYYY": { pattern: /^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$/, order: ["d", "m", "y"] },
  "DD.MM.YY": { pattern: /^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{2})$/, order: ["d", "m", "y"] },
  "YYYY-MM-DD": { pattern: /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/, order: ["y", "m", "d"] },
  "DD/MM/YYYY": { pattern: /^([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})$/, order: ["d", "m", "y"] },
  "MM/DD/YYYY": { pattern: /^([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})$/, order: ["m", "d", "y"] },
}

/** A date cell in the profile's format as `YYYY-MM-DD` (a time after the date is ignored), or null. */
function csvDate(value: string, format: (typeof CSV_DATE_FORMATS)[number]): string | null {
  const { pattern, order } = DATE_PATTERNS[format]
  const match = pattern.exec(value.trim().replace(/[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$/, ""))
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

function decode(content: Buffer, encoding: CsvProfile["encoding"]): string {
  const hasBom = content.length >= 3 && content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf
  if (encoding === "windows-1252" || encoding === "latin1") {
    if (!hasBom) {
      // WHATWG decoders read "latin1" as Windows-1252 too (€ at 0x80 and the like).
      return new TextDecoder("windows-1252").decode(content)
    }
  }
  return decodeStatementText(content)
}

/**
 * Reads a bank's CSV export with a {@link CsvProfile}: one line per row with
 * a non-zero amount. The header row (after `skip_lines`) must hold every
 * column the profile names; `line` is the row's line in the file (the header
 * is line `skip_lines + 1`). Errors name the file, the line and the field.
 */
export function parseCsvStatement(fileName: string, content: Buffer, profile: CsvProfile): ParsedBankStatementFile {
  const delimiter = profile.delimiter ?? ";"
  const decimal = profile.decimal ?? ","
  const dateFormat = profile.date_format ?? "DD.MM.YYYY"
  const sign = profile.sign ?? "signed"
  const skipLines = profile.skip_lines ?? 0
  const text = decode(content, profile.encoding ?? "utf-8")

  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, {
      delimiter,
      from_line: skipLines + 1,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (error) {
    const line = typeof (error as { lines?: unknown }).lines === "number" ? (error as { lines: number }).lines : null
    throw new BankStatementError({
      file_name: fileName,
      line,
      message: `is not a CSV file the profile can read: ${error instanceof Error ? error.message : String(error)}`,
    })
  }
  if (records.length === 0) {
    throw new BankStatementError({ file_name: fileName, message: `has no header row after ${skipLines} skipped lines` })
  }

  const [header, ...rows] = records
  const headerLine = header.info.lines
  const names = header.record.map((cell) => cell.trim().toLowerCase())
  const index = new Map<string, number>()
  names.forEach((name, position) => {
    if (!index.has(name)) {
      index.set(name, position)
    }
  })
  const columnOf = (field: Column, name: string): number => {
    const position = index.get(name.trim().toLowerCase())
    if (position === undefined) {
      throw new BankStatementError({
        file_name: fileName,
        line: headerLine,
        field,
        message: `column "${name}" (${field}) is not in the header row`,
      })
    }
    return position
  }
  const positions = new Map<Column, number[]>()
  for (const field of CSV_COLUMN_KEYS) {
    const mapped = profile.columns[field]
    if (mapped === undefined) {
      continue
    }
    positions.set(field, (Array.isArray(mapped) ? mapped : [mapped]).map((name) => columnOf(field, name)))
  }
  const required: Column[] = sign === "split" ? ["booking_date", "credit", "debit"] : ["booking_date", "amount"]
  if (sign === "indicator") {
    required.push("indicator")
  }
  for (const field of required) {
    if (!positions.has(field)) {
      throw new BankStatementError({
        file_name: fileName,
        field,
        message: `the CSV profile names no ${field} column (required with sign "${sign}")`,
      })
    }
  }

  const lines: ParsedBankLine[] = []
  for (const { record, info } of rows) {
    if (record.every((cell) => cell.trim() === "")) {
      continue
    }
    const line = info.lines
    const fail = (field: string, message: string): never => {
      throw new BankStatementError({ file_name: fileName, line, field, message })
    }
    const cell = (field: Column): string | null => {
      const found = positions.get(field)
      if (!found) {
        return null
      }
      const values = found.map((position) => (record[position] ?? "").trim()).filter((value) => value !== "")
      return values.length ? values.join(" ").replace(/\s+/g, " ") : null
    }

    const bookingRaw = cell("booking_date")
    if (!bookingRaw) {
      fail("booking_date", "booking_date is empty")
    }
    const bookingDate = csvDate(bookingRaw as string, dateFormat)
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
        continue
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
        continue
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
    lines.push({
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
  return { format: "csv", statement_ids: [], lines }
}
