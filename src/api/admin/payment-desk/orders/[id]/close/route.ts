import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { closeOrderWorkflow } from "../../../../../../workflows/close-order"
import { retrieveAdminOrderPaymentSummary } from "../../../../../../utils/retrieve-order-payments"
import type { AdminCloseOrderType } from "../../../validators"
import { requestContext } from "../../../../../utils/request-context"

/** Closes the order (refunding what was paid first): `{ reason, note?, notify_customer? }`. */
export async function POST(req: AuthenticatedMedusaRequest<AdminCloseOrderType>, res: MedusaResponse) {
  const { result } = await closeOrderWorkflow(req.scope).run({
    input: {
      ...req.validatedBody,
      order_id: req.params.id,
      ...requestContext(req),
    },
  })
  const summary = await retrieveAdminOrderPaymentSummary(req.scope, req.params.id)
  res.json({ order_closure: result.order_closure, summary })
}
