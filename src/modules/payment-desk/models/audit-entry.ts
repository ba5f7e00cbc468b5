import { model } from "@medusajs/framework/utils"

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
  "refund_unknown_at_provider",
  "order_closed",
  "payment_overdue",
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

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
    actor_type: model.enum([...ACTOR_TYPES]),
    actor_id: model.text().nullable(),
    actor_email: model.text().nullable(),
    amount: model.bigNumber().nullable(),
    currency_code: model.text().nullable(),
    method: model.text().nullable(),
    reference: model.text().nullable(),
    received_at: model.dateTime().nullable(),
    note: model.text().nullable(),
    payment_status_before: model.text().nullable(),
    payment_status_after: model.text().nullable(),
    order_payment_status_before: model.text().nullable(),
    order_payment_status_after: model.text().nullable(),
    ip: model.text().nullable(),
    user_agent: model.text().nullable(),
    idempotency_key: model.text().nullable(),
    metadata: model.json().nullable(),
  })
  .indexes([
    { on: ["order_id", "created_at"] },
    { on: ["action"] },
    { on: ["actor_id"] },
    { on: ["created_at"] },
  ])

export default AuditEntry
