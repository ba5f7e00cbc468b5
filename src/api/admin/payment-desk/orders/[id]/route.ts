import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retrieveOrderPaymentSummary } from "../../../../../utils/retrieve-order-payments"

/** The order's money as the plugin sees it: totals, outstanding amount, method and pay-by date. */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const { customer_id: _customerId, ...summary } = await retrieveOrderPaymentSummary(
    req.scope,
    req.params.id
  )
  res.json(summary)
}
