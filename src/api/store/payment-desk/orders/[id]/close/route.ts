import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../../../modules/payment-desk/service"
import { closeOrderWorkflow } from "../../../../../../workflows/closures/close-order"
import { requestCancellationWorkflow } from "../../../../../../workflows/closures/request-cancellation"
import { ORDER_PAID_CODE } from "../../../../../../workflows/closures/steps/validate-order-closure"
import type { StoreCloseOrderType } from "../../../../../admin/payment-desk/validators"
import { storeCancellationRequestView, storeClosureView } from "../../../../../../utils/closures/closure-view"
import { requestContext } from "../../../../../utils/request-context"
import { answerConflicts } from "../../../../../utils/answer-conflicts"

/**
 * The logged-in customer cancels their own order: `{ reason?, note? }`.
 * An unpaid order is closed (`outcome: "closed"`). A paid one follows the
 * plugin option `store_close`: `unpaid_only` refuses (400), `request` files
 * a cancellation request for the store (`outcome: "requested"`),
 * `immediate` refunds and closes.
 */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<StoreCloseOrderType>, res: MedusaResponse) => {
  const policy = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().store_close
  const reason = req.validatedBody.reason ?? "customer_request"
  const note = req.validatedBody.note ?? null
  const context = requestContext(req, "customer")
  try {
    const { result } = await closeOrderWorkflow(req.scope).run({
      input: { order_id: req.params.id, reason, note, notify_customer: true, ...context, refuse_paid: policy !== "immediate" },
    })
    res.json({ outcome: "closed", order_closure: storeClosureView(result.order_closure) })
  } catch (error) {
    // Paid: under `request` the store decides; the order lock is taken again by the request's workflow.
    if (policy !== "request" || (error as { code?: string })?.code !== ORDER_PAID_CODE) {
      throw error
    }
    const { result } = await requestCancellationWorkflow(req.scope).run({
      input: {
        order_id: req.params.id,
        customer_id: req.auth_context.actor_id,
        reason,
        note,
        ip: context.ip,
        user_agent: context.user_agent,
      },
    })
    res.json({ outcome: "requested", cancellation_request: storeCancellationRequestView(result.cancellation_request) })
  }
})
