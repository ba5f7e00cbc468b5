import { model } from "@medusajs/framework/utils"
import type { InferTypeOf } from "@medusajs/framework/types"

/** Where a receipt stands: written before its capture, then only forward. */
export const RECEIPT_STATUSES = ["capturing", "captured", "recorded", "abandoned"] as const
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number]

/**
 * A receipt the plugin is about to capture, written before Medusa's capture
 * (as a refund records its dispatch before the provider is called). Its
 * `key` names the receipt whoever retries it (a bank line's
 * `bank-transaction:<id>`, a request's scoped Idempotency-Key), so a run that
 * died after the capture is resumed from the capture it made, never captured
 * twice. `capturing` → `captured` (the capture is known) → `recorded` (its
 * order transaction and audit entry are written); `abandoned` when it died
 * before capturing and nobody retried it.
 */
const Receipt = model
  .define("payment_desk_receipt", {
    id: model.id({ prefix: "pdrcpt" }).primaryKey(),
    key: model.text(),
    order_id: model.text(),
    payment_collection_id: model.text(),
    /** The payment captured on; null until a mark-as-paid run has created it. */
    payment_id: model.text().nullable(),
    amount: model.bigNumber(),
    currency_code: model.text(),
    status: model.enum([...RECEIPT_STATUSES]).default("capturing"),
    /** Medusa's capture, once known: the receipt's identity in Medusa's books. */
    capture_id: model.text().nullable(),
    audit_entry_id: model.text().nullable(),
    /** Who captures (Medusa's `captured_by`), to tell this receipt's capture from anyone else's. */
    captured_by: model.text().nullable(),
    /** Captures of the collection before this receipt: none of them is its own. */
    captures_before: model.json(),
    /** What the audit entry needs when someone else finishes the receipt (method, reference, note, actor...). */
    request: model.json(),
  })
  .indexes([
    { on: ["key"], unique: true },
    { on: ["order_id"] },
    { on: ["status", "created_at"] },
    { on: ["capture_id"], unique: true, where: "capture_id IS NOT NULL" },
  ])

/** A receipt as stored. */
export type ReceiptRow = InferTypeOf<typeof Receipt>

export default Receipt
