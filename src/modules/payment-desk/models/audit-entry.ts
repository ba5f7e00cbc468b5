import { model } from "@medusajs/framework/utils"
import type { InferTypeOf } from "@medusajs/framework/types"

/** What an audit entry records; later features add their own actions. */
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
  // Money moved with Medusa's own admin buttons (source `medusa`).
  "medusa_capture",
  "medusa_mark_as_paid",
  "medusa_refund",
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** Where an entry comes from: the plugin's own actions, or Medusa's own buttons and flows. */
export const AUDIT_SOURCES = ["payment_desk", "medusa"] as const
export type AuditSource = (typeof AUDIT_SOURCES)[number]

/** Who acted. */
export const ACTOR_TYPES = ["user", "customer", "system"] as const
export type ActorType = (typeof ACTOR_TYPES)[number]

/**
 * One money action on an order, with who did it, from where, and the payment
 * and order states before and after. Append-only: entries are never updated.
 */
const AuditEntry = model
  .define("payment_desk_audit_entry", {
    id: model.id({ prefix: "pdaud" }).primaryKey(),
    order_id: model.text(),
    payment_id: model.text().nullable(),
    action: model.text(),
    /** `payment_desk` for the plugin's own actions, `medusa` for Medusa's capture, mark-as-paid and refund. */
    source: model.enum([...AUDIT_SOURCES]).default("payment_desk"),
    actor_type: model.enum([...ACTOR_TYPES]),
    actor_id: model.text().nullable(),
    actor_email: model.text().nullable(),
    amount: model.bigNumber().nullable(),
    currency_code: model.text().nullable(),
    method: model.text().nullable(),
    reference: model.text().nullable(),
    /** The reference without spaces, in capitals (`referenceKey`): what the audit search matches the start of. */
    reference_key: model.text().nullable(),
    received_at: model.dateTime().nullable(),
    note: model.text().nullable(),
    payment_status_before: model.text().nullable(),
    payment_status_after: model.text().nullable(),
    order_payment_status_before: model.text().nullable(),
    order_payment_status_after: model.text().nullable(),
    ip: model.text().nullable(),
    user_agent: model.text().nullable(),
    idempotency_key: model.text().nullable(),
    /** Names the fact an entry records (e.g. a refund's status change): a retried step writes it once. */
    dedupe_key: model.text().nullable(),
    metadata: model.json().nullable(),
  })
  .indexes([
    { on: ["order_id", "created_at"] },
    { on: ["action"] },
    { on: ["source", "created_at"] },
    { on: ["actor_id"] },
    { on: ["created_at", "id"] },
    { on: ["dedupe_key"], unique: true, where: "dedupe_key IS NOT NULL" },
    { on: ["idempotency_key"], where: "idempotency_key IS NOT NULL" },
  ])

/** One audit entry as a workflow writes it; see the model for each field. */
export type AuditEntryInput = {
  order_id: string
  payment_id?: string | null
  action: string
  /** Default `payment_desk`. */
  source?: AuditSource
  actor_type: ActorType
  actor_id?: string | null
  actor_email?: string | null
  amount?: number | null
  currency_code?: string | null
  method?: string | null
  reference?: string | null
  received_at?: Date | string | null
  note?: string | null
  payment_status_before?: string | null
  payment_status_after?: string | null
  order_payment_status_before?: string | null
  order_payment_status_after?: string | null
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
  dedupe_key?: string | null
  metadata?: Record<string, unknown> | null
}

/** An audit entry as stored. */
export type AuditEntryRow = InferTypeOf<typeof AuditEntry>

export default AuditEntry
