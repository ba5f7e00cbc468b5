import { model } from "@medusajs/framework/utils"
import type { InferTypeOf } from "@medusajs/framework/types"

/** Where a refund stands in the ledger. */
export const REFUND_STATUSES = [
  "pending",
  "succeeded",
  "failed",
  "requires_action",
  "awaiting_payout",
  "canceled",
] as const
export type RefundStatus = (typeof REFUND_STATUSES)[number]

/** Statuses whose amount is spoken for: it left, is leaving, or may still leave. */
export const OPEN_OR_DONE_REFUND_STATUSES: RefundStatus[] = [
  "pending",
  "succeeded",
  "awaiting_payout",
  "requires_action",
]

/**
 * One refund the plugin asked for, with a stable idempotency key for every
 * attempt, the provider's and Medusa's refund ids, and each attempt's raw
 * request and answer.
 */
const RefundRequest = model
  .define("payment_desk_refund_request", {
    id: model.id({ prefix: "pdref" }).primaryKey(),
    order_id: model.text(),
    payment_id: model.text(),
    provider_id: model.text(),
    amount: model.bigNumber(),
    currency_code: model.text(),
    status: model.enum([...REFUND_STATUSES]).default("pending"),
    /** Base of every provider key of this refund (the first attempt's key; later ones derive from it). */
    idempotency_key: model.text(),
    /** The provider key of the current attempt, written before the provider is called. */
    provider_key: model.text().nullable(),
    /** When the current attempt was dispatched; set before the provider call, so a crash cannot cancel the row. */
    dispatched_at: model.dateTime().nullable(),
    /** The caller's Idempotency-Key (scoped to route and caller) that created this row: a retry answers with it. */
    request_key: model.text().nullable(),
    provider_refund_id: model.text().nullable(),
    medusa_refund_id: model.text().nullable(),
    refund_reason_id: model.text().nullable(),
    note: model.text().nullable(),
    notify_customer: model.boolean().default(false),
    attempts: model.number().default(0),
    last_error: model.text().nullable(),
    next_attempt_at: model.dateTime().nullable(),
    requested_by_type: model.enum(["user", "customer", "system"]),
    requested_by_id: model.text().nullable(),
    requested_at: model.dateTime(),
    settled_at: model.dateTime().nullable(),
    payout_reference: model.text().nullable(),
    /** The SEPA payout export that holds this refund (set once by the export, moved only by an explicit re-export). */
    payout_export_id: model.text().nullable(),
    attempt_log: model.json().nullable(),
    metadata: model.json().nullable(),
  })
  .indexes([
    { on: ["payment_id", "idempotency_key"], unique: true },
    { on: ["order_id"] },
    { on: ["created_at", "id"] },
    { on: ["status", "updated_at"] },
    { on: ["status", "next_attempt_at"] },
    { on: ["provider_refund_id"] },
    { on: ["payout_export_id"] },
    { on: ["request_key"], unique: true, where: "request_key IS NOT NULL" },
  ])

/** A ledger row as stored. */
export type RefundRequestRow = InferTypeOf<typeof RefundRequest>

export default RefundRequest
