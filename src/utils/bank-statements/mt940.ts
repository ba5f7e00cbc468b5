import { electronicIban, isIban } from "../../modules/payment-desk/bank-codes"
import { isZeroAmount, statementAmount } from "./amounts"
import { findCreditorReference } from "./creditor-reference"
import { decodeStatementText } from "./decode"
import { BankStatementError } from "./errors"
import { isPlaceholderReference } from "./line-keys"
import { runSliced, tooManyLinesError, type Sliced, type StatementLimits } from "./slices"
import type {
  BankLineDirection,
  ParsedBankLine,
  ParsedBankStatementFile,
  SkippedBankEntry,
} from "../../types/bank-statements"

/*
 * A small MT940 reader. The npm packages for MT940 were not used: mt940js
 * (the most used) has had no release with changes since 2019, gives amounts
 * as JavaScript numbers, and leaves the German `:86:` subfields (`?20`-`?29`
 * with SEPA keywords EREF+/SVWZ+/KREF+, `?32`/`?33` name, `?31` IBAN) for
 * the caller to interpret, which is most of the work here.
 */

/** Whether text looks like MT940: `:20:`, `:25:` and a `:61:` (or `:60F:`/`:60M:`) field, SWIFT blocks or not. */
export function looksLikeMt940(text: string): boolean {
  return /(?:^|[\n{])\s*(?:\{4:\s*)?:20:/.test(text) && /\n\s*:25:/.test(text) && /\n\s*:(?:61|60[FM]):/.test(text)
}

type Field = { tag: string; value: string; line: number }

/** Most lines of text {@link fieldsOf} reads, and most fields {@link mt940Slices} reads, between two pauses. */
export const MT940_LINES_PER_SLICE = 500

/** The `:TAG:` fields of the text with the line each starts on; SWIFT blocks and separators dropped. Pauses every {@link MT940_LINES_PER_SLICE} lines. */
function* fieldsOf(text: string): Sliced<Field[]> {
  const fields: Field[] = []
  let current: Field | null = null
  // Line by line as `text.split(/\r\n|\r|\n/)` cuts it, without splitting the whole text in one go.
  const breaks = /\r\n|\r|\n/g
  let index = 0
  for (let from = 0; from <= text.length; index += 1) {
    if (index > 0 && index % MT940_LINES_PER_SLICE === 0) {
      yield
    }
    const found = breaks.exec(text)
    const raw = text.slice(from, found ? found.index : text.length)
    from = found ? found.index + found[0].length : text.length + 1
    let content = raw
    // `{1:...}{2:...}{3:{108:...}}{4:` opens a SWIFT message; its text starts after `{4:`.
    const header = /^\s*(?:\{[1-3]:(?:\{[^{}]*\}|[^{}])*\})*\{4:\s*/.exec(content)
    if (header) {
      content = content.slice(header[0].length)
      current = null
    } else if (/^\s*(?:\{[1-5]:(?:\{[^{}]*\}|[^{}])*\}\s*)+$/.test(content)) {
      // Header or trailer blocks alone on a line.
      current = null
      continue
    }
    if (/^\s*-(?:\}.*|\s*)$/.test(content)) {
      // `-}` closes a SWIFT message, a lone `-` a statement in plain files.
      current = null
      continue
    }
    const tag = /^:([0-9]{2}[A-Z]?):/.exec(content)
    if (tag) {
      current = { tag: tag[1], value: content.slice(tag[0].length), line: index + 1 }
      fields.push(current)
    } else if (current && content.trim() !== "") {
      current.value += `\n${content}`
    }
  }
  return fields
}

function mt940Date(yymmdd: string): string | null {
  const match = /^([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(yymmdd)
  if (!match) {
    return null
  }
  const year = 2000 + Number(match[1])
  return validDate(year, Number(match[2]), Number(match[3]))
}

function validDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null
  }
  return date.toISOString().slice(0, 10)
}

/** The entry (booking) date `MMDD` of a `:61:` line, in the year that puts it nearest its value date. */
function entryDate(valueDate: string, mmdd: string): string | null {
  const valueYear = Number(valueDate.slice(0, 4))
  const valueMonth = Number(valueDate.slice(5, 7))
  const month = Number(mmdd.slice(0, 2))
  let year = valueYear
  if (valueMonth === 12 && month === 1) {
    year += 1
  } else if (valueMonth === 1 && month === 12) {
    year -= 1
  }
  return validDate(year, month, Number(mmdd.slice(2, 4)))
}

const SEPA_KEYWORDS = /(EREF|KREF|MREF|CRED|DEBT|COAM|OAMT|SVWZ|ABWA|ABWE|IBAN|BIC)\+/g

/** What an `:86:` field says about a transaction. */
type Details = {
  remittance: string | null
  end_to_end_id: string | null
  customer_reference: string | null
  counterparty_name: string | null
  counterparty_iban: string | null
  /** Texts an RF reference may be in, most specific first. */
  reference_texts: string[]
}

function clean(value: string | undefined | null): string | null {
  const trimmed = (value ?? "").replace(/\s+/g, " ").trim()
  return trimmed === "" ? null : trimmed
}

function notProvided(value: string | null): string | null {
  return value === null || value.toUpperCase() === "NOTPROVIDED" ? null : value
}

/**
 * Reads an `:86:` field. German banks structure it (`GVC?00text?20…?29
 * purpose?30 BIC?31 IBAN?32/?33 name`, SEPA keywords inside the purpose);
 * otherwise the whole field is free text.
 */
function parseDetails(raw: string): Details {
  const joined = raw.replace(/\r?\n/g, "")
  const structured = /^[0-9]{3}([?>])[0-9]{2}/.exec(joined) ?? /^([?>])[0-9]{2}/.exec(joined)
  if (!structured) {
    const text = clean(raw)
    return {
      remittance: text,
      end_to_end_id: null,
      customer_reference: null,
      counterparty_name: null,
      counterparty_iban: null,
      reference_texts: text ? [text] : [],
    }
  }

  const separator = structured[1]
  const subfields = new Map<string, string>()
  const pattern = new RegExp(`\\${separator}([0-9]{2})`, "g")
  const marks = [...joined.matchAll(pattern)]
  marks.forEach((mark, index) => {
    const start = (mark.index ?? 0) + mark[0].length
    const end = index + 1 < marks.length ? marks[index + 1].index ?? joined.length : joined.length
    subfields.set(mark[1], (subfields.get(mark[1]) ?? "") + joined.slice(start, end))
  })
  const codes = [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 60, 61, 62, 63].map(String)
  // Banks cut a long purpose into 27-character subfields regardless of words:
  // a full subfield continues in the next one, a shorter one ended a line.
  const purpose = codes
    .map((code) => subfields.get(code))
    .filter((part): part is string => part !== undefined)
    .reduce((text, part, index, parts) => (index > 0 && parts[index - 1].length < 27 ? `${text} ${part}` : text + part), "")

  const keywords = [...purpose.matchAll(SEPA_KEYWORDS)]
  const values = new Map<string, string>()
  keywords.forEach((keyword, index) => {
    const start = (keyword.index ?? 0) + keyword[0].length
    const end = index + 1 < keywords.length ? keywords[index + 1].index ?? purpose.length : purpose.length
    values.set(keyword[1], purpose.slice(start, end))
  })
  const before = clean(keywords.length ? purpose.slice(0, keywords[0].index) : purpose)
  const svwz = clean(values.get("SVWZ"))
  const eref = notProvided(clean(values.get("EREF")))
  const kref = notProvided(clean(values.get("KREF")))
  const account = clean(subfields.get("31"))
  const name = clean(`${subfields.get("32") ?? ""}${subfields.get("33") ?? ""}`)
  return {
    remittance: svwz ?? before,
    end_to_end_id: eref,
    customer_reference: kref,
    counterparty_name: name,
    counterparty_iban: account && isIban(account) ? electronicIban(account) : null,
    reference_texts: [svwz, eref, kref, before].filter((text): text is string => text !== null),
  }
}

/** What the reader knows of the statement it is in. */
type StatementState = {
  reference: string
  number: string | null
  account: { iban: string | null; number: string | null } | null
  currency: string | null
  /** Past the closing balance: a later `:86:` is about the statement, not a transaction. */
  closed: boolean
}

// The entry date is optional: absent, or (Citibank) four spaces; a funds code letter may follow the mark.
const STATEMENT_LINE =
  /^([0-9]{6})([0-9]{4}| {4})?(RC|RD|C|D)([A-Z])?([0-9]+(?:,[0-9]*)?)(?:([NSF][A-Z0-9]{3}))?([^\n]*)(?:\n([\s\S]*))?$/

/** The account of a `:25:` field: an IBAN (a trailing currency code dropped) or as written. */
function account(value: string): { iban: string | null; number: string | null } {
  const compact = value.replace(/\s+/g, "").toUpperCase()
  for (const candidate of [compact, compact.replace(/[A-Z]{3}$/, "")]) {
    if (isIban(candidate)) {
      return { iban: electronicIban(candidate), number: null }
    }
  }
  return { iban: null, number: value.trim() || null }
}

/**
 * Reads an MT940 file (one or more statements, with or without SWIFT
 * `{1:…}{4:` blocks): one line per `:61:`, its `:86:` details, the account
 * from `:25:`, the currency from `:60F:`/`:60M:`. `RC` (reversal of a credit)
 * is a debit and `RD` a credit, both marked `reversal`. `line` is the number
 * of the `:61:` line in the file.
 */
export function parseMt940(fileName: string, content: Buffer): ParsedBankStatementFile {
  return runSliced(mt940Slices(fileName, decodeStatementText(content)))
}

/**
 * {@link parseMt940} in slices, for the upload path: at most
 * {@link MT940_LINES_PER_SLICE} lines of text, then as many fields, between
 * two pauses. A file giving more than `limits.max_lines` lines is refused at
 * the `:61:` line past the cap.
 */
export function* mt940Slices(fileName: string, text: string, limits: StatementLimits = {}): Sliced<ParsedBankStatementFile> {
  const fields = yield* fieldsOf(text)
  const fail = (line: number | null, field: string, message: string): never => {
    throw new BankStatementError({ file_name: fileName, line, field, message })
  }
  if (!fields.some((field) => field.tag === "20")) {
    fail(null, ":20:", "is not an MT940 statement: it has no :20: field")
  }

  const statementIds: string[] = []
  const lines: ParsedBankLine[] = []
  const skipped: SkippedBankEntry[] = []
  let statement: StatementState | null = null
  let last: ParsedBankLine | null = null

  for (const [index, field] of fields.entries()) {
    if (index > 0 && index % MT940_LINES_PER_SLICE === 0) {
      yield
    }
    if (field.tag === "20") {
      statement = { reference: field.value.trim(), number: null, account: null, currency: null, closed: false }
      statementIds.push(statement.reference)
      last = null
      continue
    }
    if (!statement) {
      fail(field.line, `:${field.tag}:`, `:${field.tag}: comes before the statement's :20:`)
    }
    const current = statement as StatementState
    switch (field.tag) {
      case "25":
        current.account = account(field.value)
        break
      case "28C":
      case "28":
        current.number = field.value.trim()
        statementIds[statementIds.length - 1] = `${current.reference}/${current.number}`
        break
      case "60F":
      case "60M": {
        const balance = /^[CD][0-9]{6}([A-Z]{3})/.exec(field.value.trim())
        if (!balance) {
          fail(
            field.line,
            `:${field.tag}:`,
            `:${field.tag}: "${field.value.trim()}" is not an opening balance (C/D, YYMMDD, currency, amount)`
          )
        }
        current.currency = (balance as RegExpExecArray)[1]
        break
      }
      case "61": {
        if (!current.account) {
          fail(field.line, ":25:", "the statement has no :25: account before its first :61:")
        }
        if (!current.currency) {
          fail(
            field.line,
            ":60F:",
            "the statement has no :60F: opening balance (which gives the currency) before its first :61:"
          )
        }
        const read = statementLine(
          fileName,
          field,
          current.account as NonNullable<StatementState["account"]>,
          current.currency as string
        )
        if ("reason" in read) {
          skipped.push(read)
          last = null
        } else {
          last = read
          lines.push(read)
          if (limits.max_lines !== undefined && lines.length > limits.max_lines) {
            throw tooManyLinesError(fileName, read.line, "line", limits.max_lines)
          }
        }
        break
      }
      case "86":
        if (last && !current.closed) {
          const details = parseDetails(field.value)
          last.remittance = details.remittance
          last.end_to_end_id = details.end_to_end_id
          last.customer_reference = details.customer_reference
          last.counterparty_name = details.counterparty_name
          last.counterparty_iban = details.counterparty_iban
          last.structured_reference =
            details.reference_texts.map((text) => findCreditorReference(text)).find((ref) => ref !== null) ?? null
          // Only the first :86: after a :61: belongs to it.
          last = null
        }
        break
      case "62F":
      case "62M":
        current.closed = true
        last = null
        break
      default:
        break
    }
  }
  return { format: "mt940", statement_ids: statementIds, lines, skipped }
}

/** One `:61:` field as a statement line (its `:86:` details are filled in later), or a skipped entry for a zero amount. */
function statementLine(
  fileName: string,
  field: Field,
  own: { iban: string | null; number: string | null },
  currency: string
): ParsedBankLine | SkippedBankEntry {
  const fail = (message: string, part: string): never => {
    throw new BankStatementError({ file_name: fileName, line: field.line, field: `:61: ${part}`, message })
  }
  const value = field.value.replace(/^\s+/, "")
  const match = STATEMENT_LINE.exec(value)
  if (!match) {
    fail(`:61: "${value.split("\n")[0]}" is not a statement line (YYMMDD[MMDD], C/D/RC/RD, amount, type)`, "format")
  }
  const [, valueDateRaw, entryDateRaw, mark, , amountRaw, , references] = match as RegExpExecArray
  const valueDate = mt940Date(valueDateRaw)
  if (!valueDate) {
    fail(`:61: value date "${valueDateRaw}" is not a date (YYMMDD)`, "value date")
  }
  let bookingDate = valueDate as string
  if (entryDateRaw && entryDateRaw.trim()) {
    const booked = entryDate(valueDate as string, entryDateRaw)
    if (!booked) {
      fail(`:61: entry date "${entryDateRaw}" is not a date (MMDD)`, "entry date")
    }
    bookingDate = booked as string
  }
  const amount = statementAmount(
    amountRaw.replace(",", "."),
    currency,
    { file_name: fileName, line: field.line, field: ":61: amount" },
    amountRaw
  )
  const direction: BankLineDirection = mark === "C" || mark === "RD" ? "credit" : "debit"
  if (isZeroAmount(amount)) {
    return { line: field.line, reason: "zero_amount", direction, amount, currency_code: currency.toLowerCase(), booking_date: bookingDate }
  }
  const bankReference = /\/\/(.*)$/.exec(references ?? "")
  const bankId = clean(bankReference?.[1])
  return {
    line: field.line,
    account_iban: own.iban,
    account_number: own.number,
    direction,
    amount,
    currency_code: currency.toLowerCase(),
    booking_date: bookingDate,
    value_date: valueDate,
    remittance: null,
    structured_reference: null,
    end_to_end_id: null,
    counterparty_name: null,
    counterparty_iban: null,
    // PostFinance writes //NONREF on every line: no reference at all.
    bank_transaction_id: bankId && !isPlaceholderReference(bankId) ? bankId : null,
    reversal: mark === "RC" || mark === "RD",
    customer_reference: null,
  }
}
