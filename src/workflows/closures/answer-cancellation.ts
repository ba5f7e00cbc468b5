import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { CancellationAnsweredEventData, PaymentDeskEvents } from "../../events"
import type { CancellationRequestRow } from "../../modules/payment-desk/models/cancellation-request"
import { closeOrderWorkflow } from "./close-order"
import { answerCancellationRequestStep } from "./steps/answer-cancellation-request"
import { createAuditEntriesStep } from "../shared/steps/create-audit-entries"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"
import { linkCancellationClosureStep } from "./steps/link-cancellation-closure"

/** Input of `approveCancellationWorkflow`. */
export type ApproveCancellationWorkflowInput = {
  id: string
  /** The admin user who approves. */
  actor_id: string
  message?: string | null
  /** Whether the admin may refund; an approval that must refund is refused (403) when false. */
  may_refund?: boolean
  ip?: string | null
  user_agent?: string | null
}

/** Input of `declineCancellationWorkflow`. */
export type DeclineCancellationWorkflowInput = {
  id: string
  actor_id: string
  message: string
  ip?: string | null
  user_agent?: string | null
}

export const approveCancellationWorkflowId = "payment-desk-approve-cancellation"
export const declineCancellationWorkflowId = "payment-desk-decline-cancellation"

function answeredEventData(request: CancellationRequestRow, orderClosureId: string | null): CancellationAnsweredEventData {
  return {
    cancellation_request_id: request.id,
    order_id: request.order_id,
    customer_id: request.customer_id,
    status: request.status as "approved" | "declined",
    answered_by: request.answered_by,
    answer_message: request.answer_message,
    order_closure_id: orderClosureId,
  }
}

/**
 * An admin approves a customer's cancellation request: the request moves
 * open → approved first (compare-and-set: a second answer gets 409 and
 * changes nothing), then the plugin's close workflow closes the order under
 * its lock, refunding what was paid, with the admin as actor. When the close
 * fails, the request is open again. Emits `payment_desk.cancellation_answered`.
 */
export const approveCancellationWorkflow = createWorkflow(
  approveCancellationWorkflowId,
  (input: WorkflowData<ApproveCancellationWorkflowInput>) => {
    const answered = answerCancellationRequestStep(
      transform({ input }, ({ input }) => ({
        id: input.id,
        answer: "approved" as const,
        answered_by: input.actor_id,
        message: input.message ?? null,
      }))
    )
    const closed = closeOrderWorkflow.runAsStep({
      input: transform({ input, answered }, ({ input, answered }) => ({
        order_id: answered.order_id,
        actor: { type: "user" as const, id: input.actor_id },
        reason: answered.reason,
        note: answered.note,
        notify_customer: true,
        may_refund: input.may_refund ?? true,
        ip: input.ip ?? null,
        user_agent: input.user_agent ?? null,
      })),
    })
    const request = linkCancellationClosureStep(
      transform({ answered, closed }, ({ answered, closed }) => ({ id: answered.id, order_closure_id: closed.order_closure.id }))
    )
    createAuditEntriesStep(
      transform({ input, request }, ({ input, request }) => [
        {
          order_id: request.order_id,
          action: "cancellation_approved",
          actor_type: "user" as const,
          actor_id: input.actor_id,
          note: input.message ?? null,
          ip: input.ip ?? null,
          user_agent: input.user_agent ?? null,
          metadata: { cancellation_request_id: request.id, order_closure_id: request.order_closure_id },
        },
      ])
    )
    emitPaymentDeskEventsStep(
      transform({ request }, ({ request }) => ({
        events: [{ name: PaymentDeskEvents.CANCELLATION_ANSWERED, data: answeredEventData(request, request.order_closure_id) }],
      }))
    )
    return new WorkflowResponse({ cancellation_request: request, order_closure: closed.order_closure })
  }
)

/**
 * An admin declines a customer's cancellation request with a message for
 * the customer: open → declined (compare-and-set: a second answer gets 409
 * and changes nothing). No money moves. Emits `payment_desk.cancellation_answered`.
 */
export const declineCancellationWorkflow = createWorkflow(
  declineCancellationWorkflowId,
  (input: WorkflowData<DeclineCancellationWorkflowInput>) => {
    const request = answerCancellationRequestStep(
      transform({ input }, ({ input }) => ({
        id: input.id,
        answer: "declined" as const,
        answered_by: input.actor_id,
        message: input.message,
      }))
    )
    createAuditEntriesStep(
      transform({ input, request }, ({ input, request }) => [
        {
          order_id: request.order_id,
          action: "cancellation_declined",
          actor_type: "user" as const,
          actor_id: input.actor_id,
          note: input.message,
          ip: input.ip ?? null,
          user_agent: input.user_agent ?? null,
          metadata: { cancellation_request_id: request.id },
        },
      ])
    )
    emitPaymentDeskEventsStep(
      transform({ request }, ({ request }) => ({
        events: [{ name: PaymentDeskEvents.CANCELLATION_ANSWERED, data: answeredEventData(request, null) }],
      }))
    )
    return new WorkflowResponse({ cancellation_request: request })
  }
)
