import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { issueRefundWorkflow } from "../../../../../../workflows/refunds/issue-refund"
import { retrieveAdminOrderPaymentSummary } from "../../../../../../utils/orders/retrieve-order-payments"
import type { AdminIssueRefundType } from "../../../validators"
import { requestContext } from "../../../../../utils/request-context"
import { answerConflicts } from "../../../../../utils/answer-conflicts"

/** Refunds part or all of a payment of the order through the refund ledger. */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminIssueRefundType>, res: MedusaResponse) => {
  const { result } = await issueRefundWorkflow(req.scope).run({
    input: {
      ...req.validatedBody,
      order_id: req.params.id,
      ...requestContext(req),
    },
  })
  const summary = await retrieveAdminOrderPaymentSummary(req.scope, req.params.id)
  res.json({ refund_request: result.refund_request, summary })
})
