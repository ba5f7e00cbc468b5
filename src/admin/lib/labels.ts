import type { Translate } from "../hooks/use-desk-translation"
import en from "../i18n/json/en.json"
import { formatDateTime, formatMoney } from "./format"

// Every code the server sends (reasons, actions, statuses, actor types,
// counter names, method and provider ids) becomes words here, in the admin's
// language. An unknown code is shown humanized ("some_code" → "Some code"),
// never raw.

/** The reasons an order is closed for. */
export const CLOSE_REASONS = ["customer_request", "payment_timeout", "out_of_stock", "fraud_suspected", "other"] as const

/** Refund ledger statuses. */
export const REFUND_STATUSES = ["pending", "succeeded", "failed", "requires_action", "awaiting_payout", "canceled"] as const

/** Who acts: a staff member, the customer, the store itself. */
export const ACTOR_TYPES = ["user", "customer", "system"] as const

/** Audit actions the plugin writes. */
export const AUDIT_ACTIONS = [
  "payment_recorded",
  "refund_requested",
  "refund_succeeded",
  "refund_failed",
  "refund_needs_attention",
  "refund_awaiting_payout",
  "refund_outcome_unknown",
  "refund_retried",
  "refund_payout_recorded",
  "refund_payout_returned",
  "refund_payout_exported",
  "refund_payout_reexported",
  "refund_payout_account_set",
  "refund_unknown_at_provider",
  "order_closed",
  "payment_overdue",
  "cancellation_requested",
  "cancellation_approved",
  "cancellation_declined",
  "medusa_capture",
  "medusa_mark_as_paid",
  "medusa_refund",
] as const

/** Where an audit entry comes from. */
export const AUDIT_SOURCES = ["payment_desk", "medusa"] as const

/** "some_code-name" → "Some code name": the last resort for a code with no translation. */
export function humanize(code: string): string {
  const words = code.replace(/[_.:-]+/g, " ").trim()
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : code
}

/** The code in words; for a code with no translation, the server's own label if it sent one, else the code humanized. */
function lookup(t: Translate, group: string, code: string | null | undefined, serverLabel?: string | null): string {
  if (!code) {
    return serverLabel ?? ""
  }
  const key = `${group}.${code}`
  const text = t(key)
  // i18next answers the key itself (with our prefix) when it has no entry.
  return text === key || text === `paymentDesk.${key}` ? serverLabel || humanize(code) : text
}

/**
 * A close reason ("payment_timeout" → "Payment not received in time"), in the
 * admin's language; the server's (English) label only for reasons the admin
 * does not know.
 */
export const reasonLabel = (t: Translate, reason: string | null | undefined, serverLabel?: string | null) =>
  lookup(t, "reasons", reason, serverLabel)

/** An audit action ("refund_payout_recorded" → "Refund paid out"). */
export const actionLabel = (t: Translate, action: string | null | undefined) => lookup(t, "actions", action)

/** A refund status ("requires_action" → "Needs attention"). */
export const refundStatusLabel = (t: Translate, status: string | null | undefined) => lookup(t, "refundStatus", status)

/** An actor type ("user" → "Staff member"). */
export const actorTypeLabel = (t: Translate, type: string | null | undefined) => lookup(t, "actorTypes", type)

/** An audit entry's source ("payment_desk" → "Payment desk"). */
export const sourceLabel = (t: Translate, source: string | null | undefined) => lookup(t, "sources", source)

/** A cancellation request's status. */
export const requestStatusLabel = (t: Translate, status: string | null | undefined) => lookup(t, "requestStatus", status)

const ENGLISH_METHODS: Record<string, string> = en.methods

/** A manual method of the plugin ("bank-transfer"), not a card or other provider (`pp_…`). */
export function isManualMethod(method: string | null | undefined): boolean {
  return !!method && !method.startsWith("pp_")
}

/**
 * A manual payment method by id ("bank-transfer" → "Bank transfer"). A name
 * the server sends wins, unless it is just the plugin's English default,
 * which is then said in the admin's language.
 */
export function methodLabel(t: Translate, method: string | null | undefined, name?: string | null): string {
  if (name && !(method && ENGLISH_METHODS[method] === name)) {
    return name
  }
  if (method?.startsWith("pp_")) {
    return providerLabel(t, method)
  }
  return lookup(t, "methods", method)
}

/**
 * A payment provider by id: `pp_manual_bank-transfer` → "Bank transfer",
 * `pp_stripe_stripe` → "Stripe", unless the server already named it.
 */
export function providerLabel(t: Translate, providerId: string | null | undefined, name?: string | null): string {
  const manual = providerId ? /^pp_manual[_-](.+)$/.exec(providerId) : null
  if (manual) {
    // The plugin's English default name is said in the admin's language; a merchant's own name is kept.
    return methodLabel(t, manual[1], name)
  }
  if (name) {
    return name
  }
  if (!providerId) {
    return ""
  }
  if (/^pp_stripe/.test(providerId)) {
    return "Stripe"
  }
  if (providerId === "pp_system_default") {
    return t("providers.system_default")
  }
  return humanize(providerId.replace(/^pp_/, ""))
}

/** The plugin's jobs and processes that act as the system (the `id` of a system actor). */
export const SYSTEM_ACTORS = ["close-unpaid-orders", "refund-retry-job", "reconciliation", "webhook"] as const

/**
 * Who did something: a person by name, else email (the server names people
 * so), else what kind of actor they are; the system by the job that acted
 * ("Auto-close job"), else "System".
 */
export function actorLabel(
  t: Translate,
  actor: { type?: string | null; id?: string | null; name?: string | null; email?: string | null } | null | undefined
): string {
  if (!actor) {
    return ""
  }
  if (actor.type === "system") {
    return actor.id && (SYSTEM_ACTORS as readonly string[]).includes(actor.id) ? t(`systemActors.${actor.id}`) : actorTypeLabel(t, "system")
  }
  return actor.name || actor.email || actorTypeLabel(t, actor.type)
}

/** A customer as a person: name, else email. */
export function customerLabel(customer: { name?: string | null; email?: string | null } | null | undefined): string {
  return customer?.name || customer?.email || ""
}

/** An order as merchants say it: "#12"; empty when the display id is not known. */
export function orderLabel(displayId: number | string | null | undefined): string {
  return displayId === null || displayId === undefined || displayId === "" ? "" : `#${displayId}`
}

/**
 * Why a statement line waits for review, in the admin's language: from its
 * amount match (partial, over, other currency, nothing due) or the server's
 * known reasons; another reason the server gives is shown as it is.
 */
export function bankReviewReason(
  t: Translate,
  line: { amount_match?: string | null; review_reason?: string | null; order?: { display_id?: number | null } | null }
): string {
  const server = line.review_reason ?? ""
  let code: string | null = null
  if (server.startsWith("Mentions order")) {
    // An order number in the text with the exact amount, from a payer not known as the customer.
    const key = "bankReasons.unknown_payer"
    const text = t(key, { order: orderLabel(line.order?.display_id) })
    return text === key || text === `paymentDesk.${key}` ? server : text
  }
  if (line.order && line.amount_match && line.amount_match !== "exact") {
    code = line.amount_match
  } else if (server.startsWith("Several orders")) {
    code = "several"
  } else if (server.startsWith("No order found")) {
    code = "none"
  } else if (server.startsWith("Automatic recording is off")) {
    code = "auto_off"
  } else if (server.startsWith("A refund payout the bank returned")) {
    code = "payout_returned"
  } else if (server.startsWith("The bank reversed an incoming payment")) {
    code = "reversal"
  }
  if (!code) {
    return server
  }
  return lookup(t, "bankReasons", code, server)
}

/** A note the plugin wrote itself, as the server sends it: a code, its facts and the English text. */
export type SystemNoteView = { code: string; params: Record<string, string | number>; text: string }

/**
 * The plugin's own note in the admin's language ("Order closed: Payment not
 * received in time"): the catalogue's `notes.<code>`, its reason in words,
 * amounts and dates formatted; the server's English text for a code this
 * admin does not know.
 */
export function systemNoteLabel(t: Translate, note: SystemNoteView | null | undefined, locale?: string): string {
  if (!note) {
    return ""
  }
  const params: Record<string, string | number> = { ...note.params }
  if (typeof params.reason === "string") params.reason = reasonLabel(t, params.reason)
  const currency = typeof params.currency_code === "string" ? params.currency_code : null
  if (currency && params.paid !== undefined) params.paid = formatMoney(Number(params.paid), currency, locale)
  if (currency && params.total !== undefined) params.total = formatMoney(Number(params.total), currency, locale)
  if (typeof params.pay_by === "string") params.pay_by = formatDateTime(params.pay_by, locale)
  const key = `notes.${note.code}`
  const text = t(key, params)
  return text === key || text === `paymentDesk.${key}` ? note.text : text
}

/** What a row's notes say: the plugin's own note (in the admin's language), then what a person wrote. */
export function notesLabel(
  t: Translate,
  row: { note?: string | null; system_note?: SystemNoteView | null },
  locale?: string
): string {
  return [systemNoteLabel(t, row.system_note, locale), row.note ?? ""].filter(Boolean).join(" · ")
}
