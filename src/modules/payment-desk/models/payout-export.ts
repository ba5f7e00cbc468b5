import { model } from "@medusajs/framework/utils"
import type { InferTypeOf } from "@medusajs/framework/types"

/**
 * One SEPA payout file handed out: its message id, the refunds it pays (each
 * refund is in at most one normal export; a re-export names the export it
 * repeats), the payments as written, and who exported it.
 */
const PayoutExport = model
  .define("payment_desk_payout_export", {
    id: model.id({ prefix: "pdpex" }).primaryKey(),
    /** The file's `GrpHdr/MsgId`, unique. */
    message_id: model.text(),
    /** The earlier export this one repeats (an explicit re-export), else null. */
    re_export_of: model.text().nullable(),
    /** `{ ids: [...] }`: the refund requests the file pays. */
    refund_request_ids: model.json(),
    /** `{ payments: [...] }`: the transfers as written into the file (end-to-end id, amount, payee, remittance). */
    payments: model.json(),
    payment_count: model.number(),
    total: model.bigNumber(),
    currency_code: model.text(),
    execution_date: model.text(),
    exported_by_type: model.enum(["user", "customer", "system"]),
    exported_by_id: model.text().nullable(),
  })
  .indexes([{ on: ["message_id"], unique: true }, { on: ["created_at"] }, { on: ["re_export_of"] }])

/** A payout export as stored. */
export type PayoutExportRow = InferTypeOf<typeof PayoutExport>

export default PayoutExport
