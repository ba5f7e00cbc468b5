import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retryRefundWorkflow } from "../../../../../../workflows/refunds/retry-refund"
import { requestContext } from "../../../../../utils/request-context"
import { answerConflicts } from "../../../../../utils/answer-conflicts"

/** Tries a failed refund again. */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { result } = await retryRefundWorkflow(req.scope).run({
    input: {
      refund_request_id: req.params.id,
      ...requestContext(req),
    },
  })
  res.json({ refund_request: result.refund_request })
})
