import { XMLParser, XMLValidator } from "fast-xml-parser"
import { electronicIban as iban } from "../../modules/payment-desk/bank-codes"
import { isZeroAmount, statementAmount } from "./amounts"
import { findCreditorReference } from "./creditor-reference"
import { decodeStatementText } from "./decode"
import { BankStatementError } from "./errors"
import type { BankLineDirection, ParsedBankLine, ParsedBankStatementFile } from "../../types/bank-statements"

/** The CAMT messages the importer reads. */
export type CamtFormat = "camt.053" | "camt.054"

/** Versions (`001.0X`) of camt.053 and camt.054 this parser reads. */
export const CAMT_VERSIONS = ["02", "03", "04", "05", "06", "07", "08"] as const

const NAMESPACE =
  /<(?:[A-Za-z_][\w.-]*:)?Document\b[^>]*?\bxmlns(?::[\w.-]+)?\s*=\s*["']urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.([0-9]{2})["']/

/** How much of a file's start is searched for the `Document`'s namespace: it is declared on the root element. */
export const CAMT_HEAD_CHARS = 8192

/**
 * The CAMT message and version a file's `Document` declares, e.g.
 * `{ format: "camt.053", version: "08" }`, or null. Only the file's first
 * {@link CAMT_HEAD_CHARS} characters are searched, so a large file that is
 * not XML costs no more than a small one.
 */
export function camtNamespace(text: string): { format: CamtFormat; version: string } | null {
  const match = NAMESPACE.exec(text.slice(0, CAMT_HEAD_CHARS))
  return match ? { format: match[1] as CamtFormat, version: match[2] } : null
}

type XmlNode = { [key: string]: unknown }

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  // Amounts, ids and references stay strings: "110.50" must not become 110.5, nor "007" 7.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
})

function isNode(value: unknown): value is XmlNode {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

/** Every `key` child of a node (an element that occurs once is not an array in the parsed tree). */
function all(node: unknown, key: string): unknown[] {
  if (!isNode(node) || node[key] === undefined) {
    return []
  }
  const value = node[key]
  return Array.isArray(value) ? value : [value]
}

/** The first element at a path of child names. */
function at(node: unknown, ...path: string[]): unknown {
  let current: unknown = node
  for (const key of path) {
    current = all(current, key)[0]
    if (current === undefined) {
      return undefined
    }
  }
  return current
}

/** An element's text, trimmed; null when absent or empty. */
function textOf(value: unknown): string | null {
  let raw: unknown = value
  if (isNode(value)) {
    raw = value["#text"]
  }
  if (typeof raw === "number" || typeof raw === "boolean") {
    raw = String(raw)
  }
  if (typeof raw !== "string") {
    return null
  }
  const trimmed = raw.trim()
  return trimmed === "" ? null : trimmed
}

/** The text at a path, or null. */
function textAt(node: unknown, ...path: string[]): string | null {
  return textOf(at(node, ...path))
}

/** A reference that banks fill with `NOTPROVIDED` when there is none. */
function reference(value: string | null): string | null {
  return value === null || value.toUpperCase() === "NOTPROVIDED" ? null : value
}

/** The date of an ISO 20022 `DateAndDateTimeChoice` (`Dt` or `DtTm`) as `YYYY-MM-DD`, or null. */
function dateChoice(node: unknown): string | null {
  const value = textAt(node, "Dt") ?? textAt(node, "DtTm")
  if (!value) {
    return null
  }
  const match = /^([0-9]{4}-[0-9]{2}-[0-9]{2})/.exec(value)
  return match ? match[1] : value
}

function validDate(value: string): boolean {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value)
  if (!match) {
    return false
  }
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  return date.toISOString().slice(0, 10) === value
}

/** The name of a party: `Nm` up to 001.07, `Pty/Nm` from 001.08. */
function partyName(parties: unknown, role: "Dbtr" | "Cdtr"): string | null {
  return textAt(parties, role, "Nm") ?? textAt(parties, role, "Pty", "Nm")
}

type EntryContext = {
  file_name: string
  entry: number
  statement_account_iban: string | null
  statement_account_number: string | null
  statement_currency: string | null
}

/**
 * Reads a CAMT.053 (bank to customer statement, `BkToCstmrStmt/Stmt`) or
 * CAMT.054 (debit/credit notification, `BkToCstmrDbtCdtNtfctn/Ntfctn`) file,
 * versions 001.02 to 001.08, every statement in it. Only booked entries give
 * lines (`Sts` or `Sts/Cd` = `BOOK`; pending and information entries are
 * skipped); a batched entry gives one line per `TxDtls`. The direction is the
 * entry's `CdtDbtInd` (or the transaction's own): ISO 20022 gives a reversal
 * (`RvslInd` true) the direction of the booking that undoes the original, so a
 * returned credit is a `DBIT`; such lines carry `reversal: true`.
 */
export function parseCamt(fileName: string, content: Buffer): ParsedBankStatementFile {
  const text = decodeStatementText(content)
  const namespace = camtNamespace(text)
  if (!namespace) {
    throw new BankStatementError({
      file_name: fileName,
      field: "Document",
      message:
        "is not a CAMT.053 or CAMT.054 file: its Document has no urn:iso:std:iso:20022:tech:xsd:camt.053/camt.054 namespace",
    })
  }
  if (!(CAMT_VERSIONS as readonly string[]).includes(namespace.version)) {
    throw new BankStatementError({
      file_name: fileName,
      field: "Document",
      message: `${namespace.format}.001.${namespace.version} is not supported (versions 001.02 to 001.08 are)`,
    })
  }
  if (/<!DOCTYPE/i.test(text)) {
    // Statements never carry a DTD; refusing one keeps entity expansion out of the parser.
    throw new BankStatementError({
      file_name: fileName,
      field: "DOCTYPE",
      message: "has a DOCTYPE, which a bank statement never has",
    })
  }
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    throw new BankStatementError({
      file_name: fileName,
      line: valid.err.line,
      message: `is not well-formed XML: ${valid.err.msg}`,
    })
  }
  let tree: unknown
  try {
    tree = parser.parse(text)
  } catch (error) {
    throw new BankStatementError({
      file_name: fileName,
      message: `is not well-formed XML: ${error instanceof Error ? error.message : String(error)}`,
    })
  }

  const document = at(tree, "Document")
  const rootName = namespace.format === "camt.053" ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn"
  const statementName = namespace.format === "camt.053" ? "Stmt" : "Ntfctn"
  const root = at(document, rootName)
  if (!isNode(root)) {
    throw new BankStatementError({
      file_name: fileName,
      field: rootName,
      message: `has no Document/${rootName} element although it declares ${namespace.format}`,
    })
  }
  const statements = all(root, statementName)
  if (statements.length === 0) {
    throw new BankStatementError({
      file_name: fileName,
      field: statementName,
      message: `has no ${rootName}/${statementName} element`,
    })
  }

  const statementIds: string[] = []
  const lines: ParsedBankLine[] = []
  let entryNumber = 0
  statements.forEach((statement, index) => {
    const id = textAt(statement, "Id")
    if (!id) {
      throw new BankStatementError({
        file_name: fileName,
        field: `${statementName}/Id`,
        message: `${statementName} ${index + 1} has no Id`,
      })
    }
    statementIds.push(id)
    const accountIban = iban(textAt(statement, "Acct", "Id", "IBAN"))
    const accountOther = textAt(statement, "Acct", "Id", "Othr", "Id")
    for (const entry of all(statement, "Ntry")) {
      entryNumber += 1
      lines.push(
        ...entryLines(entry, {
          file_name: fileName,
          entry: entryNumber,
          statement_account_iban: accountIban,
          statement_account_number: accountIban ? null : accountOther,
          statement_currency: textAt(statement, "Acct", "Ccy"),
        })
      )
    }
  })
  return { format: namespace.format, statement_ids: statementIds, lines }
}

function direction(value: string | null): BankLineDirection | null {
  if (value === "CRDT") {
    return "credit"
  }
  if (value === "DBIT") {
    return "debit"
  }
  return null
}

/** The lines of one `Ntry`: none when it is not booked, one per `TxDtls` otherwise. */
function entryLines(entry: unknown, context: EntryContext): ParsedBankLine[] {
  const fail = (field: string, message: string): never => {
    throw new BankStatementError({
      file_name: context.file_name,
      line: context.entry,
      unit: "entry",
      field,
      message,
    })
  }

  const status = textAt(entry, "Sts", "Cd") ?? textAt(entry, "Sts", "Prtry") ?? textAt(entry, "Sts")
  if (!status) {
    fail("Sts", "Sts (the entry's status) is missing")
  }
  if ((status as string).toUpperCase() !== "BOOK") {
    return []
  }

  const entryAmount = at(entry, "Amt")
  if (!textOf(entryAmount)) {
    fail("Amt", "Amt is missing")
  }
  const entryIndicator = textAt(entry, "CdtDbtInd")
  const entryDirection = direction(entryIndicator)
  if (!entryDirection) {
    fail("CdtDbtInd", `CdtDbtInd "${entryIndicator ?? ""}" must be CRDT or DBIT`)
  }
  const reversal = ["true", "1"].includes((textAt(entry, "RvslInd") ?? "").toLowerCase())

  const bookingDate = dateChoice(at(entry, "BookgDt"))
  if (!bookingDate) {
    fail("BookgDt", "BookgDt is missing on a booked entry")
  }
  if (!validDate(bookingDate as string)) {
    fail("BookgDt", `BookgDt "${bookingDate}" is not a date (YYYY-MM-DD)`)
  }
  const valueDate = dateChoice(at(entry, "ValDt"))
  if (valueDate !== null && !validDate(valueDate)) {
    fail("ValDt", `ValDt "${valueDate}" is not a date (YYYY-MM-DD)`)
  }

  const entryRef = reference(textAt(entry, "NtryRef")) ?? reference(textAt(entry, "AcctSvcrRef"))
  const details = all(entry, "NtryDtls").flatMap((detail) => all(detail, "TxDtls"))

  const line = (input: {
    amount_node: unknown
    amount_field: string
    direction: BankLineDirection
    remittance: string | null
    structured_reference: string | null
    end_to_end_id: string | null
    counterparty_name: string | null
    counterparty_iban: string | null
    bank_transaction_id: string | null
  }): ParsedBankLine | null => {
    const raw = textOf(input.amount_node) as string
    const currency = textOf(isNode(input.amount_node) ? input.amount_node["@_Ccy"] : null) ?? context.statement_currency
    if (!currency) {
      fail(`${input.amount_field}/@Ccy`, `${input.amount_field} has no Ccy and the statement's account has no currency`)
    }
    const amount = statementAmount(raw, currency as string, {
      file_name: context.file_name,
      line: context.entry,
      unit: "entry",
      field: input.amount_field,
    })
    if (isZeroAmount(amount)) {
      return null
    }
    return {
      line: context.entry,
      account_iban: context.statement_account_iban,
      account_number: context.statement_account_number,
      direction: input.direction,
      amount,
      currency_code: (currency as string).toLowerCase(),
      booking_date: bookingDate as string,
      value_date: valueDate,
      remittance: input.remittance,
      structured_reference: input.structured_reference ?? findCreditorReference(input.remittance),
      end_to_end_id: input.end_to_end_id,
      counterparty_name: input.counterparty_name,
      counterparty_iban: input.counterparty_iban,
      bank_transaction_id: input.bank_transaction_id,
      reversal,
    }
  }

  if (details.length === 0) {
    const single = line({
      amount_node: entryAmount,
      amount_field: "Amt",
      direction: entryDirection as BankLineDirection,
      remittance: textAt(entry, "AddtlNtryInf"),
      structured_reference: null,
      end_to_end_id: null,
      counterparty_name: null,
      counterparty_iban: null,
      bank_transaction_id: entryRef,
    })
    return single ? [single] : []
  }

  const result: ParsedBankLine[] = []
  details.forEach((detail, index) => {
    const prefix = details.length > 1 ? `TxDtls[${index + 1}]` : "TxDtls"
    let amountNode: unknown = at(detail, "Amt")
    let amountField = `${prefix}/Amt`
    if (!textOf(amountNode)) {
      amountNode = at(detail, "AmtDtls", "TxAmt", "Amt")
      amountField = `${prefix}/AmtDtls/TxAmt/Amt`
    }
    if (!textOf(amountNode)) {
      if (details.length > 1) {
        fail(`${prefix}/Amt`, `${prefix} of a batched entry has no amount (Amt or AmtDtls/TxAmt/Amt)`)
      }
      amountNode = entryAmount
      amountField = "Amt"
    }
    const ownIndicator = textAt(detail, "CdtDbtInd")
    const lineDirection = ownIndicator === null ? entryDirection : direction(ownIndicator)
    if (!lineDirection) {
      fail(`${prefix}/CdtDbtInd`, `${prefix}/CdtDbtInd "${ownIndicator}" must be CRDT or DBIT`)
    }

    const unstructured = all(at(detail, "RmtInf"), "Ustrd")
      .map((part) => textOf(part))
      .filter((part): part is string => part !== null)
    const structured = all(at(detail, "RmtInf"), "Strd")
      .map((part) => textAt(part, "CdtrRefInf", "Ref"))
      .find((ref): ref is string => ref !== null)

    // The other party is the one of the original booking: the payer of a
    // credit, the payee of a debit (for a reversal, of what it reverses).
    const parties = at(detail, "RltdPties")
    const original = reversal ? (lineDirection === "credit" ? "debit" : "credit") : lineDirection
    const role = original === "credit" ? "Dbtr" : "Cdtr"

    const ownId =
      reference(textAt(detail, "Refs", "AcctSvcrRef")) ?? reference(textAt(detail, "Refs", "TxId"))
    const bankId = ownId ?? (entryRef && details.length > 1 ? `${entryRef}#${index + 1}` : entryRef)

    const parsed = line({
      amount_node: amountNode,
      amount_field: amountField,
      direction: lineDirection as BankLineDirection,
      remittance: unstructured.length ? unstructured.join(" ") : null,
      structured_reference: structured ? structured.replace(/\s+/g, "") : null,
      end_to_end_id: reference(textAt(detail, "Refs", "EndToEndId")),
      counterparty_name: partyName(parties, role),
      counterparty_iban: iban(textAt(parties, `${role}Acct`, "Id", "IBAN")),
      bank_transaction_id: bankId,
    })
    if (parsed) {
      result.push(parsed)
    }
  })
  return result
}
