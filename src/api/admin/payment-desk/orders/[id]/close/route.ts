import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { closeOrderWorkflow } from "../../../../../../workflows/closures/close-order"
import { retrieveAdminOrderPaymentSummary } from "../../../../../../utils/orders/retrieve-order-payments"
import type { AdminCloseOrderType } from "../../../validators"
import { requestContext } from "../../../../../utils/request-context"
import { hasPermission } from "../../../../../utils/require-permission"
import { answerConflicts } from "../../../../../utils/answer-conflicts"

/**
 * Closes the order (refunding what was paid first): `{ reason, note?,
 * notify_customer? }`. A close that refunds needs the `refund` permission too.
 */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminCloseOrderType>, res: MedusaResponse) => {
  const { result } = await closeOrderWorkflow(req.scope).run({
    input: {
      ...req.validatedBody,
      order_id: req.params.id,
      ...requestContext(req),
      may_refund: await hasPermission(req, "refund"),
    },
  })
  const summary = await retrieveAdminOrderPaymentSummary(req.scope, req.params.id)
  res.json({ order_closure: result.order_closure, summary })
})
