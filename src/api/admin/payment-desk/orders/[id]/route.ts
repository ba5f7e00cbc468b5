import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retrieveAdminOrderPaymentSummary } from "../../../../../utils/orders/retrieve-order-payments"

/** The order's money as the plugin sees it: totals, outstanding and refundable amounts, method, pay-by date, payments and audit trail. */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json(await retrieveAdminOrderPaymentSummary(req.scope, req.params.id))
}
