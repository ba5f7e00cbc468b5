import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { attemptRefundWorkflow } from "./attempt-refund"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"
import { loadRefundRequestStep } from "./steps/load-refund-request"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"
import { reopenRefundRequestStep } from "./steps/reopen-refund-request"
import { validateRefundStep } from "./steps/validate-refund"

/** Input of `retryRefundWorkflow`. */
export type RetryRefundWorkflowInput = {
  refund_request_id: string
  actor: Actor
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
}

export const retryRefundWorkflowId = "payment-desk-retry-refund"

/**
 * Tries a `failed` refund again under the order's lock: re-reads the row
 * there (a second retry that waited for the lock finds it settled and is
 * refused), checks its amount still fits what is refundable, reopens it with
 * a compare-and-set and makes a new attempt, with a new provider key (a
 * provider replays its first answer for a reused key).
 */
export const retryRefundWorkflow = createWorkflow(
  retryRefundWorkflowId,
  (input: WorkflowData<RetryRefundWorkflowInput>) => {
    const found = loadRefundRequestStep(transform({ input }, ({ input }) => ({ refund_request_id: input.refund_request_id })))
    const lock = acquireOrderLockStep(transform({ found }, ({ found }) => ({ order_id: found.order_id })))
    const row = loadRefundRequestStep(
      transform({ input }, ({ input }) => ({
        refund_request_id: input.refund_request_id,
        expect_status: ["failed" as const],
        action: "retried",
      }))
    ).config({ name: "load-refund-request-under-lock" })
    validateRefundStep(
      transform({ row }, ({ row }) => ({
        payment_id: row.payment_id,
        amount: Number(row.amount),
        retrying_refund_request_id: row.id,
      }))
    ).config({ name: "validate-refund-retry" })
    const actor = resolveActorStep(input.actor)
    const context = transform({ input, actor }, ({ input, actor }) => ({
      actor,
      ip: input.ip,
      user_agent: input.user_agent,
      idempotency_key: input.idempotency_key,
    }))
    reopenRefundRequestStep(transform({ row, context }, ({ row, context }) => ({ refund_request_id: row.id, context })))
    const settled = attemptRefundWorkflow.runAsStep({
      input: transform({ row, context }, ({ row, context }) => ({ refund_request_id: row.id, context })),
    })
    emitPaymentDeskEventsStep(transform({ settled }, ({ settled }) => ({ events: settled.events, immediate: true })))
    releaseOrderLockStep(lock)
    return new WorkflowResponse({ refund_request: settled.refund_request })
  }
)
