import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import type { AdminListRefundsType } from "../validators"

/** The refund ledger across orders, newest first, filtered by status and order. */
export async function GET(req: MedusaRequest<unknown, AdminListRefundsType>, res: MedusaResponse) {
  const { limit, offset, ...filters } = req.validatedQuery as AdminListRefundsType
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [refundRequests, count] = await desk.listAndCountRefundRequests(filters, {
    skip: offset,
    take: limit,
    order: { created_at: "DESC", id: "DESC" },
  })
  res.json({ refund_requests: refundRequests, count, limit, offset })
}
