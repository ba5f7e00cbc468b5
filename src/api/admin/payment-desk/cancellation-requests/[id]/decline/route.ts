import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { declineCancellationWorkflow } from "../../../../../../workflows/closures/answer-cancellation"
import { describeCancellationRequest } from "../../../../../../utils/closures/cancellation-requests-view"
import { answerConflicts } from "../../../../../utils/answer-conflicts"
import { requestContext } from "../../../../../utils/request-context"
import type { AdminDeclineCancellationRequestType } from "../../../validators"

/** Declines a customer's cancellation request with a message for them (409 when already answered); no money moves. */
export const POST = answerConflicts(
  async (req: AuthenticatedMedusaRequest<AdminDeclineCancellationRequestType>, res: MedusaResponse) => {
    const context = requestContext(req)
    const { result } = await declineCancellationWorkflow(req.scope).run({
      input: {
        id: req.params.id,
        actor_id: req.auth_context.actor_id,
        message: req.validatedBody.message,
        ip: context.ip,
        user_agent: context.user_agent,
      },
    })
    res.json({ cancellation_request: await describeCancellationRequest(req.scope, result.cancellation_request.id) })
  }
)
