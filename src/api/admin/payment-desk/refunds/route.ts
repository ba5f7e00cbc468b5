import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import type { AdminListRefundsType } from "../validators"
import type { RefundRequestRow } from "../../../../modules/payment-desk/models/refund-request"
import { describeRefundRows } from "../../../../utils/refunds/refund-list-view"

/**
 * The refund ledger across orders, newest first, filtered by status and
 * order; each row with its order number, customer, provider name, reason
 * label and requester (batched lookups per page). `count` is exact up to
 * 10,000, else PostgreSQL's estimate (`count_estimated: true`).
 */
export async function GET(req: MedusaRequest<unknown, AdminListRefundsType>, res: MedusaResponse) {
  const { limit, offset, ...filters } = req.validatedQuery as AdminListRefundsType
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [refundRequests, { count, estimated }] = await Promise.all([
    desk.listRefundRequests(filters, { skip: offset, take: limit, order: { created_at: "DESC", id: "DESC" } }),
    desk.countListRows("RefundRequest", filters),
  ])
  const described = await describeRefundRows(req.scope, refundRequests as unknown as RefundRequestRow[])
  res.json({ refund_requests: described, count, count_estimated: estimated, limit, offset })
}
