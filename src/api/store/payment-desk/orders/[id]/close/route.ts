import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { closeOrderWorkflow } from "../../../../../../workflows/close-order"
import type { StoreCloseOrderType } from "../../../../../admin/payment-desk/validators"
import { storeClosureView } from "../../../../../utils/closure-view"
import { requestContext } from "../../../../../utils/request-context"
import { answerConflicts } from "../../../../../utils/answer-conflicts"

/** The logged-in customer cancels their own order: `{ reason?, note? }`. */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<StoreCloseOrderType>, res: MedusaResponse) => {
  const { result } = await closeOrderWorkflow(req.scope).run({
    input: {
      order_id: req.params.id,
      reason: req.validatedBody.reason ?? "customer_request",
      note: req.validatedBody.note ?? null,
      notify_customer: true,
      ...requestContext(req, "customer"),
    },
  })
  res.json({ order_closure: storeClosureView(result.order_closure) })
})
