import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { approveCancellationWorkflow } from "../../../../../../workflows/closures/answer-cancellation"
import { describeCancellationRequest } from "../../../../../../utils/closures/cancellation-requests-view"
import { answerConflicts } from "../../../../../utils/answer-conflicts"
import { requestContext } from "../../../../../utils/request-context"
import { hasPermission } from "../../../../../utils/require-permission"
import type { AdminApproveCancellationRequestType } from "../../../validators"

/** Approves a customer's cancellation request: the order is closed and what was paid refunded (409 when already answered). */
export const POST = answerConflicts(
  async (req: AuthenticatedMedusaRequest<AdminApproveCancellationRequestType>, res: MedusaResponse) => {
    const context = requestContext(req)
    const { result } = await approveCancellationWorkflow(req.scope).run({
      input: {
        id: req.params.id,
        actor_id: req.auth_context.actor_id,
        message: req.validatedBody.message ?? null,
        may_refund: await hasPermission(req, "refund"),
        ip: context.ip,
        user_agent: context.user_agent,
      },
    })
    res.json({
      cancellation_request: await describeCancellationRequest(req.scope, result.cancellation_request.id),
      order_closure: result.order_closure,
    })
  }
)
