import { model } from "@medusajs/framework/utils"
import type { InferTypeOf } from "@medusajs/framework/types"
import { CLOSE_REASONS } from "./order-closure"

/** Where a customer's cancellation request stands: it is answered once. */
export const CANCELLATION_REQUEST_STATUSES = ["open", "approved", "declined"] as const
export type CancellationRequestStatus = (typeof CANCELLATION_REQUEST_STATUSES)[number]

/**
 * A customer's request to cancel a paid order (plugin option
 * `store_close: "request"`), answered once by an admin: approved (the order
 * is closed and refunded) or declined with a message. At most one open
 * request per order (a partial unique index).
 */
const CancellationRequest = model
  .define("payment_desk_cancellation_request", {
    id: model.id({ prefix: "pdcrq" }).primaryKey(),
    order_id: model.text(),
    customer_id: model.text(),
    reason: model.enum([...CLOSE_REASONS]),
    note: model.text().nullable(),
    status: model.enum([...CANCELLATION_REQUEST_STATUSES]).default("open"),
    /** The admin user who answered. */
    answered_by: model.text().nullable(),
    answer_message: model.text().nullable(),
    answered_at: model.dateTime().nullable(),
    /** The closure an approval made. */
    order_closure_id: model.text().nullable(),
  })
  .indexes([
    { on: ["order_id"], unique: true, where: "status = 'open'" },
    { on: ["order_id"] },
    { on: ["status", "created_at"] },
  ])

/** A cancellation request as stored. */
export type CancellationRequestRow = InferTypeOf<typeof CancellationRequest>

export default CancellationRequest
