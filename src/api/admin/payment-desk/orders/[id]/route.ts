import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retrieveAdminOrderPaymentSummary } from "../../../../../utils/orders/retrieve-order-payments"
import { callerCan } from "../../../../utils/require-permission"

/**
 * The order's money as the plugin sees it: totals, outstanding and
 * refundable amounts, method, pay-by date, payments and audit trail; `can`
 * says which money actions the caller may take (Medusa RBAC when on, else
 * the plugin's `permissions` option).
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const [summary, can] = await Promise.all([retrieveAdminOrderPaymentSummary(req.scope, req.params.id), callerCan(req)])
  res.json({ ...summary, can })
}
