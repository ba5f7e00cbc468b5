import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { GatewayAnswer } from "../../utils/refunds/gateways"
import { reverseMedusaRefundWorkflow } from "./reverse-medusa-refund"
import { bookRefundStep } from "./steps/book-refund"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"
import { planRefundVerdictStep } from "./steps/plan-refund-verdict"
import { settleRefundRowStep } from "./steps/settle-refund-row"

/** Input of `applyRefundVerdictWorkflow`. */
export type ApplyRefundVerdictWorkflowInput = {
  refund_request_id: string
  answer: GatewayAnswer
  /** Where the verdict came from: `webhook`, `reconciliation`. */
  source: string
  webhook_event?: { provider: string; event_id: string; type: string } | null
}

export const applyRefundVerdictWorkflowId = "payment-desk-apply-refund-verdict"

/**
 * Applies a provider's verdict on a row's current attempt, under the lock
 * the calling workflow holds: books a success in Medusa (or takes a success
 * that later failed back out), settles the row with a compare-and-set (and
 * writes its audit facts and marks the webhook event handled in the same
 * transaction), then the events of the facts written now, once.
 */
export const applyRefundVerdictWorkflow = createWorkflow(
  applyRefundVerdictWorkflowId,
  (input: WorkflowData<ApplyRefundVerdictWorkflowInput>) => {
    const plan = planRefundVerdictStep(
      transform({ input }, ({ input }) => ({ refund_request_id: input.refund_request_id, answer: input.answer }))
    )
    when("reverse-medusa-refund", { plan }, ({ plan }) => plan.reverse).then(() => {
      reverseMedusaRefundWorkflow.runAsStep({
        input: transform({ input }, ({ input }) => ({ refund_request_id: input.refund_request_id })),
      })
    })
    const booked = bookRefundStep(
      transform({ input, plan }, ({ input, plan }) => ({ refund_request_id: input.refund_request_id, outcome: plan.book_outcome }))
    )
    const settled = settleRefundRowStep(
      transform({ input, plan, booked }, ({ input, plan, booked }) => ({
        refund_request_id: input.refund_request_id,
        answer: input.answer,
        booked,
        reversed: plan.reverse,
        stale: plan.stale,
        webhook_event: input.webhook_event ?? null,
        context: { actor: { type: "system" as const, id: input.source } },
      }))
    )
    emitPaymentDeskEventsStep(transform({ settled }, ({ settled }) => ({ events: settled.events, immediate: true })))
    return new WorkflowResponse(settled)
  }
)
