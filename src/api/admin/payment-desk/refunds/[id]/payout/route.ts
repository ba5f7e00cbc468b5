import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { recordRefundPayoutWorkflow } from "../../../../../../workflows/refunds/record-refund-payout"
import type { AdminRecordRefundPayoutType } from "../../../validators"
import { requestContext } from "../../../../../utils/request-context"
import { answerConflicts } from "../../../../../utils/answer-conflicts"

/** Records that a manual refund was paid out: `{ reference, paid_at?, note? }`. */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminRecordRefundPayoutType>, res: MedusaResponse) => {
  const { result } = await recordRefundPayoutWorkflow(req.scope).run({
    input: {
      ...req.validatedBody,
      refund_request_id: req.params.id,
      ...requestContext(req),
    },
  })
  res.json({ refund_request: result.refund_request })
})
