import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { CancellationRequestedEventData, PaymentDeskEvents } from "../../events"
import type { CloseReason } from "../../modules/payment-desk/models/order-closure"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { createAuditEntriesStep } from "../shared/steps/create-audit-entries"
import { createCancellationRequestStep } from "./steps/create-cancellation-request"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"
import { validateCancellationRequestStep } from "./steps/validate-cancellation-request"

/** Input of `requestCancellationWorkflow`. */
export type RequestCancellationWorkflowInput = {
  order_id: string
  customer_id: string
  reason: CloseReason
  note?: string | null
  ip?: string | null
  user_agent?: string | null
}

export const requestCancellationWorkflowId = "payment-desk-request-cancellation"

/**
 * A customer asks to cancel a paid order (`store_close: "request"`): under
 * the order's lock, checks the order is theirs, open and has no open
 * request, files the request, audits it and emits
 * `payment_desk.cancellation_requested`. No money moves until an admin approves.
 */
export const requestCancellationWorkflow = createWorkflow(
  requestCancellationWorkflowId,
  (input: WorkflowData<RequestCancellationWorkflowInput>) => {
    const lock = acquireOrderLockStep(transform({ input }, ({ input }) => ({ order_id: input.order_id })))
    validateCancellationRequestStep(
      transform({ input }, ({ input }) => ({ order_id: input.order_id, customer_id: input.customer_id }))
    )
    const request = createCancellationRequestStep(
      transform({ input }, ({ input }) => ({
        order_id: input.order_id,
        customer_id: input.customer_id,
        reason: input.reason,
        note: input.note ?? null,
      }))
    )
    createAuditEntriesStep(
      transform({ input, request }, ({ input, request }) => [
        {
          order_id: input.order_id,
          action: "cancellation_requested",
          actor_type: "customer" as const,
          actor_id: input.customer_id,
          note: input.note ?? null,
          ip: input.ip ?? null,
          user_agent: input.user_agent ?? null,
          metadata: { cancellation_request_id: request.id, reason: input.reason },
        },
      ])
    )
    emitPaymentDeskEventsStep(
      transform({ request }, ({ request }) => {
        const data: CancellationRequestedEventData = {
          cancellation_request_id: request.id,
          order_id: request.order_id,
          customer_id: request.customer_id,
          reason: request.reason,
          note: request.note,
        }
        return { events: [{ name: PaymentDeskEvents.CANCELLATION_REQUESTED, data }] }
      })
    )
    releaseOrderLockStep(lock)
    return new WorkflowResponse({ cancellation_request: request })
  }
)
