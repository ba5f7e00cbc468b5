import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { ActorType } from "../../modules/payment-desk/models/audit-entry"
import { attemptRefundWorkflow } from "./attempt-refund"
import { createRefundRequestStep, CreateRefundRequestStepInput } from "./steps/create-refund-request"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"

/** Input of `ledgerRefundWorkflow`: a refund already validated under the order's lock. */
export type LedgerRefundWorkflowInput = Omit<CreateRefundRequestStepInput, "requested_by_type" | "requested_by_id"> & {
  actor: { type: ActorType; id: string | null; email: string | null }
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
}

export const ledgerRefundWorkflowId = "payment-desk-ledger-refund"

/**
 * The ledger part of a refund, for a caller that holds the order's lock and
 * has validated the amount (`issueRefundWorkflow`, the close): writes the
 * row and makes its first attempt (the audit facts are written with the
 * row's change), then emits the events of those facts; no later failure
 * takes them back.
 */
export const ledgerRefundWorkflow = createWorkflow(
  ledgerRefundWorkflowId,
  (input: WorkflowData<LedgerRefundWorkflowInput>) => {
    const request = createRefundRequestStep(
      transform({ input }, ({ input }) => ({
        order_id: input.order_id,
        payment_id: input.payment_id,
        provider_id: input.provider_id,
        amount: input.amount,
        currency_code: input.currency_code,
        refund_reason_id: input.refund_reason_id ?? null,
        note: input.note ?? null,
        notify_customer: input.notify_customer ?? false,
        requested_by_type: input.actor.type,
        requested_by_id: input.actor.id,
        request_key: input.request_key ?? null,
        metadata: input.metadata ?? null,
      }))
    )
    // From here on the money may leave: only forward.
    const settled = attemptRefundWorkflow.runAsStep({
      input: transform({ input, request }, ({ input, request }) => ({
        refund_request_id: request.id,
        requested: true,
        context: { actor: input.actor, ip: input.ip, user_agent: input.user_agent, idempotency_key: input.idempotency_key },
      })),
    })
    emitPaymentDeskEventsStep(transform({ settled }, ({ settled }) => ({ events: settled.events, immediate: true })))
    return new WorkflowResponse({ refund_request: settled.refund_request })
  }
)
