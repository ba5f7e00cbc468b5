import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { setRefundPayoutAccountWorkflow } from "../../../../../../workflows/refunds/set-refund-payout-account"
import type { AdminSetRefundPayoutAccountType } from "../../../validators"
import { requestContext } from "../../../../../utils/request-context"
import { answerConflicts } from "../../../../../utils/answer-conflicts"
import { describeRefundRows } from "../../../../../../utils/refunds/refund-list-view"

/** Adds or corrects the account a manual refund awaiting payout is paid to: `{ name, iban, bic? }`; refused once it is exported. */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminSetRefundPayoutAccountType>, res: MedusaResponse) => {
  const { actor, ip, user_agent, idempotency_key } = requestContext(req)
  const { result } = await setRefundPayoutAccountWorkflow(req.scope).run({
    input: { refund_request_id: req.params.id, payout_account: req.validatedBody, actor, ip, user_agent, idempotency_key },
  })
  const [refund_request] = await describeRefundRows(req.scope, [result.refund_request])
  res.json({ refund_request })
})
