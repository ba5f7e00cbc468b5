import { XMLParser } from "fast-xml-parser"
import { electronicIban as iban, isIban } from "../../modules/payment-desk/bank-codes"
import { isZeroAmount, statementAmount } from "./amounts"
import { LARGE_ELEMENT_CHARS, outlineCamt, type ElementSpan } from "./camt-outline"
import { findCreditorReference } from "./creditor-reference"
import { decodeStatementText } from "./decode"
import { BankStatementError } from "./errors"
import { runSliced, tooManyLinesError, type Sliced, type StatementLimits } from "./slices"
import type {
  BankLineDirection,
  ParsedBankLine,
  ParsedBankStatementFile,
  SkippedBankEntry,
} from "../../types/bank-statements"

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

const CAMT_052 = /urn:iso:std:iso:20022:tech:xsd:camt\.052\.001\.[0-9]{2}/

/** Whether a file's head declares a CAMT.052 account report (intraday), which the importer does not import. */
export function isCamt052(text: string): boolean {
  return CAMT_052.test(text.slice(0, 8192))
}

/** The 400 for a CAMT.052 file: what it is and what to upload instead. */
export function camt052Error(fileName: string): BankStatementError {
  return new BankStatementError({
    file_name: fileName,
    field: "Document",
    message:
      "is a CAMT.052 account report (intraday, BkToCstmrAcctRpt), which is not imported: its entries may still change. Upload the day's CAMT.053 statement or the CAMT.054 notifications instead",
  })
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

/** Most entries read between two pauses of {@link camtSlices}. */
export const CAMT_ENTRIES_PER_SLICE = 50
/** Most characters of entries parsed between two pauses of {@link camtSlices} (an entry longer than this is read a child at a time). */
export const CAMT_SLICE_CHARS = LARGE_ELEMENT_CHARS
/** Most transactions (`TxDtls`) of one batched entry read between two pauses. */
export const CAMT_DETAILS_PER_SLICE = 500

const DOCTYPE_SEARCH_CHARS = 1024 * 1024

/** How much of the current slice {@link camtSlices} has used. */
type SliceBudget = { entries: number; chars: number }

/** Ends the slice (a pause) when `chars` more would overflow it; then counts them in. */
function* spend(budget: SliceBudget, chars: number): Sliced<void> {
  if (budget.chars > 0 && budget.chars + chars > CAMT_SLICE_CHARS) {
    yield
    budget.entries = 0
    budget.chars = 0
  }
  budget.chars += chars
}

/** The value fast-xml-parser gives an element (`xml`, cut from the file), parsed on its own as it would be inside the whole document. */
function parseElement(fileName: string, xml: string): unknown {
  let tree: unknown
  try {
    tree = parser.parse(xml)
  } catch (error) {
    throw new BankStatementError({
      file_name: fileName,
      message: `is not well-formed XML: ${error instanceof Error ? error.message : String(error)}`,
    })
  }
  return isNode(tree) ? Object.values(tree)[0] : undefined
}

/**
 * An element's value as fast-xml-parser gives it. A short one is parsed
 * whole; a large one holding elements (a batched entry of hundreds of
 * transactions) is put together from its start tag's attributes and its
 * children, each read the same way, with pauses between them, so no parse
 * is longer than {@link CAMT_SLICE_CHARS}. Its own text between its children
 * is left out: the parser reads text only from elements that hold no element.
 */
function* elementValue(fileName: string, text: string, span: ElementSpan, budget: SliceBudget): Sliced<unknown> {
  if (!span.children) {
    yield* spend(budget, span.end - span.start)
    return parseElement(fileName, text.slice(span.start, span.end))
  }
  // The start tag, closed in place (`<Ntry a="1"/>`): its attributes as fast-xml-parser names them.
  const tag = parseElement(fileName, `${text.slice(span.start, span.open_end - 1)}/>`)
  const node: XmlNode = isNode(tag) ? { ...tag } : {}
  for (const child of span.children) {
    const value = yield* elementValue(fileName, text, child, budget)
    const held = node[child.name]
    if (held === undefined) {
      node[child.name] = value
    } else if (Array.isArray(held)) {
      held.push(value)
    } else {
      node[child.name] = [held, value]
    }
  }
  return node
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
  return runSliced(camtSlices(fileName, decodeStatementText(content)))
}

/**
 * {@link parseCamt} in slices, for the upload path: the document is checked
 * and outlined by a streaming tokenizer ({@link outlineCamt}), then each
 * statement's `Id` and `Acct` and each `Ntry` is parsed on its own, at most
 * {@link CAMT_ENTRIES_PER_SLICE} entries ({@link CAMT_SLICE_CHARS}
 * characters) between two pauses. A file giving more than
 * `limits.max_lines` lines is refused at the entry past the cap.
 */
export function* camtSlices(fileName: string, text: string, limits: StatementLimits = {}): Sliced<ParsedBankStatementFile> {
  const namespace = camtNamespace(text)
  if (!namespace && isCamt052(text)) {
    throw camt052Error(fileName)
  }
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
  // Statements never carry a DTD; refusing one keeps entity expansion out of the parser.
  // Searched a slice at a time (the 9 characters before a slice again, for a `<!DOCTYPE` across its start).
  for (let start = 0; start < text.length; start += DOCTYPE_SEARCH_CHARS) {
    if (start > 0) {
      yield
    }
    if (/<!DOCTYPE/i.test(text.slice(Math.max(0, start - 8), start + DOCTYPE_SEARCH_CHARS))) {
      throw new BankStatementError({
        file_name: fileName,
        field: "DOCTYPE",
        message: "has a DOCTYPE, which a bank statement never has",
      })
    }
  }
  const rootName = namespace.format === "camt.053" ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn"
  const statementName = namespace.format === "camt.053" ? "Stmt" : "Ntfctn"
  // The whole document is checked before any entry is read: malformed XML is refused first, whatever its entries say.
  const outline = yield* outlineCamt(fileName, text, rootName, statementName)
  if (outline.root === "missing") {
    throw new BankStatementError({
      file_name: fileName,
      field: rootName,
      message: `has no Document/${rootName} element although it declares ${namespace.format}`,
    })
  }
  if (outline.statements.length === 0) {
    throw new BankStatementError({
      file_name: fileName,
      field: statementName,
      message: `has no ${rootName}/${statementName} element`,
    })
  }

  const statementIds: string[] = []
  const lines: ParsedBankLine[] = []
  const skipped: SkippedBankEntry[] = []
  let entryNumber = 0
  const budget: SliceBudget = { entries: 0, chars: 0 }
  for (const [index, outlined] of outline.statements.entries()) {
    const statement: XmlNode = {}
    if (outlined.id) {
      statement.Id = yield* elementValue(fileName, text, outlined.id, budget)
    }
    if (outlined.account) {
      statement.Acct = yield* elementValue(fileName, text, outlined.account, budget)
    }
    const id = textAt(statement, "Id")
    if (!id) {
      throw new BankStatementError({
        file_name: fileName,
        field: `${statementName}/Id`,
        message: `${statementName} ${index + 1} has no Id`,
      })
    }
    statementIds.push(id)
    const accountOther = textAt(statement, "Acct", "Id", "Othr", "Id")
    // Some banks put the IBAN under Othr/Id rather than IBAN.
    const accountIban = iban(textAt(statement, "Acct", "Id", "IBAN")) ?? (isIban(accountOther) ? iban(accountOther) : null)
    for (let pair = 0; pair < outlined.entries.length; pair += 2) {
      const start = outlined.entries[pair]
      if (budget.entries >= CAMT_ENTRIES_PER_SLICE) {
        yield
        budget.entries = 0
        budget.chars = 0
      }
      budget.entries += 1
      entryNumber += 1
      const span = outlined.large_entries.get(start) ?? { name: "Ntry", start, open_end: -1, end: outlined.entries[pair + 1], children: null }
      const entry = yield* elementValue(fileName, text, span, budget)
      const read = yield* entryLines(entry, {
        file_name: fileName,
        entry: entryNumber,
        statement_account_iban: accountIban,
        statement_account_number: accountIban ? null : accountOther,
        statement_currency: textAt(statement, "Acct", "Ccy"),
      })
      // One at a time: a batched entry's thousands of lines are too many arguments for one push.
      for (const line of read.lines) {
        lines.push(line)
      }
      if (read.skipped) {
        skipped.push(read.skipped)
      }
      if (limits.max_lines !== undefined && lines.length > limits.max_lines) {
        throw tooManyLinesError(fileName, lines[limits.max_lines].line, "entry", limits.max_lines)
      }
    }
  }
  return { format: namespace.format, statement_ids: statementIds, lines, skipped }
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

/** A statement amount (`"10.50"`, exactly the currency's decimals) in minor units, for exact sums. */
function minorUnits(amount: string): bigint {
  return BigInt(amount.replace(".", ""))
}

/** What one `TxDtls` says, before deciding whether it is a line of its own. */
type Detail = {
  /** The detail's amount in the entry's currency (its `Amt`, else `AmtDtls/TxAmt/Amt`), or null when it gives none in it. */
  amount: string | null
  direction: BankLineDirection
  remittance: string | null
  structured_reference: string | null
  end_to_end_id: string | null
  counterparty_name: string | null
  counterparty_iban: string | null
  own_id: string | null
}

/**
 * The lines of one `Ntry`. An entry that is not booked, or books zero, gives
 * none and is returned as skipped. The entry's booked amount is the truth: its
 * `TxDtls` split it into lines only when there are several and they sum to it
 * in the entry's currency; otherwise it is one line of the entry's amount that
 * carries the details' references and remittance text.
 */
function* entryLines(entry: unknown, context: EntryContext): Sliced<{ lines: ParsedBankLine[]; skipped: SkippedBankEntry | null }> {
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
  const entryAmount = at(entry, "Amt")
  const entryIndicator = textAt(entry, "CdtDbtInd")
  const entryDirection = direction(entryIndicator)
  const entryCurrency = textOf(isNode(entryAmount) ? entryAmount["@_Ccy"] : null) ?? context.statement_currency
  if ((status as string).toUpperCase() !== "BOOK") {
    return {
      lines: [],
      skipped: {
        line: context.entry,
        reason: "pending",
        direction: entryDirection,
        amount: textOf(entryAmount),
        currency_code: entryCurrency ? entryCurrency.toLowerCase() : null,
        booking_date: dateChoice(at(entry, "BookgDt")),
      },
    }
  }

  if (!textOf(entryAmount)) {
    fail("Amt", "Amt is missing")
  }
  if (!entryDirection) {
    fail("CdtDbtInd", `CdtDbtInd "${entryIndicator ?? ""}" must be CRDT or DBIT`)
  }
  if (!entryCurrency) {
    fail("Amt/@Ccy", "Amt has no Ccy and the statement's account has no currency")
  }
  const currency = entryCurrency as string
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

  const amount = statementAmount(textOf(entryAmount) as string, currency, {
    file_name: context.file_name,
    line: context.entry,
    unit: "entry",
    field: "Amt",
  })
  if (isZeroAmount(amount)) {
    return {
      lines: [],
      skipped: {
        line: context.entry,
        reason: "zero_amount",
        direction: entryDirection,
        amount,
        currency_code: currency.toLowerCase(),
        booking_date: bookingDate,
      },
    }
  }

  const entryRef = reference(textAt(entry, "NtryRef")) ?? reference(textAt(entry, "AcctSvcrRef"))
  const nodes = all(entry, "NtryDtls").flatMap((detail) => all(detail, "TxDtls"))
  const details: Detail[] = []
  for (const [index, node] of nodes.entries()) {
    if (index > 0 && index % CAMT_DETAILS_PER_SLICE === 0) {
      yield
    }
    details.push(readDetail(node, index, nodes.length, currency, entryDirection as BankLineDirection, reversal, context))
  }

  const line = (input: Omit<ParsedBankLine, "line" | "account_iban" | "account_number" | "currency_code" | "booking_date" | "value_date" | "reversal">): ParsedBankLine => ({
    line: context.entry,
    account_iban: context.statement_account_iban,
    account_number: context.statement_account_number,
    ...input,
    structured_reference: input.structured_reference ?? findCreditorReference(input.remittance),
    currency_code: currency.toLowerCase(),
    booking_date: bookingDate as string,
    value_date: valueDate,
    reversal,
  })

  const signed = (detail: Detail) => (detail.direction === entryDirection ? 1n : -1n) * minorUnits(detail.amount as string)
  const splits =
    details.length > 1 &&
    details.every((detail) => detail.amount !== null && !isZeroAmount(detail.amount)) &&
    details.reduce((sum, detail) => sum + signed(detail), 0n) === minorUnits(amount)
  if (splits) {
    const lines: ParsedBankLine[] = []
    for (const [index, detail] of details.entries()) {
      if (index > 0 && index % CAMT_DETAILS_PER_SLICE === 0) {
        yield
      }
      lines.push(
        line({
          direction: detail.direction,
          amount: detail.amount as string,
          remittance: detail.remittance,
          structured_reference: detail.structured_reference,
          end_to_end_id: detail.end_to_end_id,
          counterparty_name: detail.counterparty_name,
          counterparty_iban: detail.counterparty_iban,
          bank_transaction_id: detail.own_id ?? (entryRef ? `${entryRef}#${index + 1}` : null),
        })
      )
    }
    return { skipped: null, lines }
  }

  // One line of the booked amount; the details only tell who and why.
  const first = <K extends keyof Detail>(key: K): Detail[K] | null => details.map((detail) => detail[key]).find((value) => value !== null) ?? null
  const agreed = <K extends keyof Detail>(key: K): Detail[K] | null => {
    const values = new Set(details.map((detail) => detail[key]).filter((value) => value !== null))
    return values.size === 1 ? (first(key) as Detail[K]) : null
  }
  const texts = [...new Set(details.map((detail) => detail.remittance).filter((text): text is string => text !== null))]
  return {
    skipped: null,
    lines: [
      line({
        direction: entryDirection as BankLineDirection,
        amount,
        remittance: texts.length ? texts.join(" ") : textAt(entry, "AddtlNtryInf"),
        structured_reference: first("structured_reference"),
        end_to_end_id: first("end_to_end_id"),
        counterparty_name: agreed("counterparty_name"),
        counterparty_iban: agreed("counterparty_iban"),
        // A single transaction's own id is the more precise; a batch booked whole is the entry.
        bank_transaction_id: (details.length === 1 ? details[0].own_id : null) ?? entryRef,
      }),
    ],
  }
}

/** Reads one `TxDtls`: its amount when it gives one in the entry's currency (checked against it), direction, parties and references. */
function readDetail(
  node: unknown,
  index: number,
  count: number,
  entryCurrency: string,
  entryDirection: BankLineDirection,
  reversal: boolean,
  context: EntryContext
): Detail {
  const prefix = count > 1 ? `TxDtls[${index + 1}]` : "TxDtls"
  let amount: string | null = null
  for (const [amountNode, field] of [
    [at(node, "Amt"), `${prefix}/Amt`],
    [at(node, "AmtDtls", "TxAmt", "Amt"), `${prefix}/AmtDtls/TxAmt/Amt`],
  ] as const) {
    const raw = textOf(amountNode)
    if (!raw) {
      continue
    }
    const ccy = textOf(isNode(amountNode) ? amountNode["@_Ccy"] : null) ?? entryCurrency
    // Every amount written is checked; only one in the entry's currency can split it.
    const checked = statementAmount(raw, ccy, { file_name: context.file_name, line: context.entry, unit: "entry", field })
    if (amount === null && ccy.toUpperCase() === entryCurrency.toUpperCase()) {
      amount = checked
    }
  }
  const ownIndicator = textAt(node, "CdtDbtInd")
  const lineDirection = ownIndicator === null ? entryDirection : direction(ownIndicator)
  if (!lineDirection) {
    throw new BankStatementError({
      file_name: context.file_name,
      line: context.entry,
      unit: "entry",
      field: `${prefix}/CdtDbtInd`,
      message: `${prefix}/CdtDbtInd "${ownIndicator}" must be CRDT or DBIT`,
    })
  }
  const unstructured = all(at(node, "RmtInf"), "Ustrd")
    .map((part) => textOf(part))
    .filter((part): part is string => part !== null)
  const structured = all(at(node, "RmtInf"), "Strd")
    .map((part) => textAt(part, "CdtrRefInf", "Ref"))
    .find((ref): ref is string => ref !== null)
  // The other party is the one of the original booking: the payer of a
  // credit, the payee of a debit (for a reversal, of what it reverses).
  const parties = at(node, "RltdPties")
  const original = reversal ? (lineDirection === "credit" ? "debit" : "credit") : lineDirection
  const role = original === "credit" ? "Dbtr" : "Cdtr"
  return {
    amount,
    direction: lineDirection,
    remittance: unstructured.length ? unstructured.join(" ") : null,
    structured_reference: structured ? structured.replace(/\s+/g, "") : null,
    end_to_end_id: reference(textAt(node, "Refs", "EndToEndId")),
    counterparty_name: partyName(parties, role),
    counterparty_iban: iban(textAt(parties, `${role}Acct`, "Id", "IBAN")),
    own_id: reference(textAt(node, "Refs", "AcctSvcrRef")) ?? reference(textAt(node, "Refs", "TxId")),
  }
}
