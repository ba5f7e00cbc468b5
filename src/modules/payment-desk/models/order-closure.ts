import { model } from "@medusajs/framework/utils"

/** Why an order was closed early. */
export const CLOSE_REASONS = [
  "customer_request",
  "payment_timeout",
  "out_of_stock",
  "fraud_suspected",
  "other",
] as const
export type CloseReason = (typeof CLOSE_REASONS)[number]
/** The reasons a customer may give when closing their own order. */
export const CUSTOMER_CLOSE_REASONS = ["customer_request", "other"] as const satisfies readonly CloseReason[]

/** One closed order (unique per order): who closed it, why, and what was refunded first. */
const OrderClosure = model
  .define("payment_desk_order_closure", {
    id: model.id({ prefix: "pdclo" }).primaryKey(),
    order_id: model.text(),
    actor_type: model.enum(["user", "customer", "system"]),
    actor_id: model.text().nullable(),
    reason: model.enum([...CLOSE_REASONS]),
    note: model.text().nullable(),
    notify_customer: model.boolean().default(true),
    refund_request_ids: model.json().nullable(),
    refunded_amount: model.bigNumber(),
    currency_code: model.text(),
    payment_method: model.text().nullable(),
    customer_id: model.text().nullable(),
    sales_channel_id: model.text().nullable(),
    ip: model.text().nullable(),
    user_agent: model.text().nullable(),
    /** `payment_desk` (this plugin's close) or `core_cancel` (Medusa's own Cancel order). */
    source: model.text(),
    closed_at: model.dateTime(),
  })
  .indexes([
    { on: ["order_id"], unique: true },
    // The closed-orders list sorts by close time, then id: keyset pages read this index without an offset.
    { on: ["closed_at", "id"] },
    // The closed-orders search finds its customers first, then their closures.
    { on: ["customer_id"] },
  ])

export default OrderClosure
