import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AuditFilter } from "../../modules/payment-desk/service"
import type { ActorType } from "../../modules/payment-desk/models/audit-entry"
import { personName } from "../people/describe-people"
import { notesView, systemNoteOf, systemNoteText, type SystemNote } from "../notes/system-notes"
import { actorText, codeText, moneyText, serverText, type ServerLanguage } from "../i18n/server-text"

/** The audit filters as a request gives them. */
export type AuditFilterInput = Omit<AuditFilter, "q"> & { q?: string }

/** The fields an entry needs to be described. */
type Describable = { actor_type: ActorType | string; actor_id: string | null; actor_email?: string | null; order_id: string; metadata?: unknown }

/** An audit entry with its human fields. */
export type DescribedAuditEntry<T> = T & {
  actor_name: string | null
  order_display_id: number | null
  /** The plugin's own note on the entry, as a code with parameters and in English (see `systemNoteText`). */
  system_note: (SystemNote & { text: string }) | null
}

/**
 * The audit filter of a request: `q` is looked up once as an order display id
 * (`1042` or `#1042`) and kept as reference text.
 */
export async function resolveAuditFilter(container: MedusaContainer, input: AuditFilterInput): Promise<AuditFilter> {
  const { q, ...rest } = input
  const filter: AuditFilter = { ...rest }
  if (q) {
    const displayId = /^#?(\d{1,9})$/.exec(q)?.[1]
    let orderIds: string[] = []
    if (displayId) {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "order", fields: ["id"], filters: { display_id: Number(displayId) } })
      orderIds = (data as { id: string }[]).map((order) => order.id)
    }
    filter.q = { order_ids: orderIds, text: q }
  }
  return filter
}

/** Names and display ids kept between the pages of one export; dropped when this many are held. */
const MEMO_LIMIT = 20_000

/** Describes pages of entries, remembering names and display ids between pages (one per request). */
export type AuditDescriber = <T extends Describable>(entries: T[]) => Promise<DescribedAuditEntry<T>[]>

/**
 * A describer of audit entries: adds `actor_name` (an admin user's or a
 * customer's name, else email, see `personName`; null for the system, whose
 * `actor_id` names the job) and
 * `order_display_id` to a page of entries, with at most one query per kind
 * for the whole page; what an earlier page looked up is not asked again.
 */
export function createAuditDescriber(container: MedusaContainer): AuditDescriber {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const userNames = new Map<string, string | null>()
  const customerNames = new Map<string, string | null>()
  const displayIds = new Map<string, number | null>()

  const missing = (memo: Map<string, unknown>, ids: (string | null)[]) => {
    if (memo.size > MEMO_LIMIT) memo.clear()
    return [...new Set(ids.filter((id): id is string => !!id && !memo.has(id)))]
  }

  return async <T extends Describable>(entries: T[]): Promise<DescribedAuditEntry<T>[]> => {
    if (!entries.length) {
      return []
    }
    const userIds = missing(userNames, entries.filter((e) => e.actor_type === "user").map((e) => e.actor_id))
    const customerIds = missing(customerNames, entries.filter((e) => e.actor_type === "customer").map((e) => e.actor_id))
    const orderIds = missing(displayIds, entries.map((e) => e.order_id))
    const [users, customers, orders] = await Promise.all([
      userIds.length
        ? query.graph({ entity: "user", fields: ["id", "first_name", "last_name", "email"], filters: { id: userIds } })
        : { data: [] },
      customerIds.length
        ? query.graph({ entity: "customer", fields: ["id", "first_name", "last_name", "email"], filters: { id: customerIds } })
        : { data: [] },
      orderIds.length
        ? query.graph({ entity: "order", fields: ["id", "display_id"], filters: { id: orderIds } })
        : { data: [] },
    ])
    userIds.forEach((id) => userNames.set(id, null))
    customerIds.forEach((id) => customerNames.set(id, null))
    orderIds.forEach((id) => displayIds.set(id, null))
    for (const user of users.data as { id: string; first_name?: string | null; last_name?: string | null; email?: string | null }[]) {
      userNames.set(user.id, personName(user))
    }
    for (const customer of customers.data as { id: string; first_name?: string | null; last_name?: string | null; email?: string | null }[]) {
      customerNames.set(customer.id, personName(customer))
    }
    for (const order of orders.data as { id: string; display_id?: number | null }[]) {
      displayIds.set(order.id, order.display_id ?? null)
    }
    return entries.map((entry) => {
      let actorName: string | null
      if (entry.actor_type === "user") {
        actorName = (entry.actor_id && userNames.get(entry.actor_id)) || entry.actor_email || null
      } else if (entry.actor_type === "customer") {
        actorName = (entry.actor_id && customerNames.get(entry.actor_id)) || entry.actor_email || null
      } else {
        actorName = null
      }
      return {
        ...entry,
        actor_name: actorName,
        order_display_id: displayIds.get(entry.order_id) ?? null,
        system_note: notesView(entry).system_note,
      }
    })
  }
}

/** Adds `actor_name` and `order_display_id` to one page of entries (see `createAuditDescriber`). */
export async function describeAuditEntries<T extends Describable>(
  container: MedusaContainer,
  entries: T[]
): Promise<DescribedAuditEntry<T>[]> {
  return createAuditDescriber(container)(entries)
}

/** The columns of the audit CSV export, in order: the audit entry's field names. */
export const AUDIT_CSV_COLUMNS = [
  "id",
  "created_at",
  "source",
  "action",
  "order_id",
  "order_display_id",
  "payment_id",
  "amount",
  "currency_code",
  "method",
  "reference",
  "received_at",
  "note",
  "actor_type",
  "actor_id",
  "actor_name",
  "actor_email",
  "payment_status_before",
  "payment_status_after",
  "order_payment_status_before",
  "order_payment_status_after",
  "ip",
  "user_agent",
  "idempotency_key",
  "metadata",
] as const

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (value instanceof Date) return value.toISOString()
  if (typeof value === "object") return JSON.stringify(value)
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  return neutralizeCsvText(String(value))
}

const FORMULA_START = /^[=+\-@\t\r]/
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/

/**
 * A text cell a spreadsheet would run as a formula (one that begins with
 * `=`, `+`, `-`, `@`, a tab or a carriage return), with an apostrophe before
 * it, as OWASP's "CSV Injection" advice says: the spreadsheet then shows the
 * text as written. A number (`-12.50`) stays a number.
 */
export function neutralizeCsvText(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text
}

/**
 * One entry as a CSV record (dates in ISO 8601 UTC, metadata as JSON, empty
 * for null; text that would start a formula neutralised, see neutralizeCsvText).
 */
export function auditCsvRecord(entry: Record<string, unknown>): string[] {
  return AUDIT_CSV_COLUMNS.map((column) => cell(entry[column]))
}

/** The header keys (admin catalogue) of the readable audit CSV, in order. */
export const AUDIT_READABLE_COLUMNS = [
  "columns.when",
  "columns.event",
  "columns.order",
  "columns.amount",
  "columns.method",
  "common.reference",
  "columns.actor",
  "columns.source",
  "common.note",
] as const

/** The readable CSV's header row in `language`. */
export function auditReadableHeader(language: ServerLanguage): string[] {
  return AUDIT_READABLE_COLUMNS.map((key) => serverText(language, key))
}

/**
 * One entry as a person reads it, in `language`: the date and time (UTC),
 * the action, reason and method in words, the order by its number, the
 * amount in the currency's format, who by name (a job by what it is), the
 * plugin's own note said in the language then what a person wrote; text
 * that would start a formula is neutralised (see neutralizeCsvText).
 */
export function auditReadableRecord(entry: Record<string, unknown> & Partial<DescribedAuditEntry<Describable>>, language: ServerLanguage): string[] {
  const amount = entry.amount === null || entry.amount === undefined ? null : Number(entry.amount)
  const currency = typeof entry.currency_code === "string" ? entry.currency_code.toUpperCase() : null
  const who = actorText(language, {
    type: String(entry.actor_type ?? ""),
    id: entry.actor_id as string | null,
    name: entry.actor_name as string | null,
    email: entry.actor_email as string | null,
  })
  const systemNote = systemNoteOf(entry.metadata)
  const note = [systemNote ? systemNoteText(systemNote, language) : "", (entry.note as string | null) ?? ""].filter(Boolean).join(" · ")
  const when = entry.created_at
    ? new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(entry.created_at as string)) + " UTC"
    : ""
  return [
    when,
    codeText(language, "actions", entry.action as string),
    entry.order_display_id !== null && entry.order_display_id !== undefined ? `#${entry.order_display_id}` : "",
    amount !== null && currency ? moneyText(language, amount, currency) : "",
    codeText(language, "methods", entry.method as string),
    (entry.reference as string | null) ?? "",
    who,
    codeText(language, "sources", (entry.source as string) ?? "payment_desk"),
    note,
  ].map((text) => neutralizeCsvText(text))
}
