import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { refundOutcome } from "../utils/refund-outcome"
import { paymentLockKey } from "./issue-refund"
import { createAuditEntriesStep } from "./steps/create-audit-entries"
import { emitPaymentDeskEventsStep } from "./steps/emit-payment-desk-events"
import { executeRefundStep } from "./steps/execute-refund"
import { loadRefundRequestStep } from "./steps/load-refund-request"
import { Actor, resolveActorStep } from "./steps/resolve-actor"
import { reopenRefundRequestStep } from "./steps/reopen-refund-request"
import { validateRefundStep } from "./steps/validate-refund"

export type RetryRefundWorkflowInput = {
  refund_request_id: string
  actor: Actor
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
}

export const retryRefundWorkflowId = "payment-desk-retry-refund"

/**
 * Tries a `failed` refund again (or, for the system, a `pending` one whose
 * outcome is unknown): under the payment's lock, only while its amount is
 * still refundable, with the idempotency key the ledger chooses (the same key
 * after an unknown outcome, so the provider cannot refund twice).
 */
export const retryRefundWorkflow = createWorkflow(
  retryRefundWorkflowId,
  (input: WorkflowData<RetryRefundWorkflowInput & { allow_pending?: boolean }>) => {
    const row = loadRefundRequestStep(
      transform({ input }, ({ input }) => ({
        refund_request_id: input.refund_request_id,
        expect_status: input.allow_pending ? ["failed" as const, "pending" as const] : ["failed" as const],
        action: "retried",
      }))
    )
    const lockKey = transform({ row }, ({ row }) => paymentLockKey(row.payment_id))
    acquireLockStep(
      transform({ lockKey }, ({ lockKey }) => ({ key: lockKey, timeout: 30, retryInterval: 0.05, ttl: 300 }))
    )
    // A failed row no longer counts against the payment; its amount must still fit.
    validateRefundStep(
      transform({ row }, ({ row }) => ({
        payment_id: row.payment_id,
        amount: Number(row.amount),
        retrying_refund_request_id: row.id,
      }))
    ).config({ name: "validate-refund-retry" })
    const actor = resolveActorStep(input.actor)
    reopenRefundRequestStep(transform({ row }, ({ row }) => ({ refund_request_id: row.id })))
    const settled = executeRefundStep(
      transform({ row, actor }, ({ row, actor }) => ({ refund_request_id: row.id, actor_id: actor.id }))
    )
    const outcome = transform({ input, settled, actor, row }, ({ input, settled, actor, row }) =>
      refundOutcome(
        settled.refund_request,
        row.status,
        { actor, ip: input.ip, user_agent: input.user_agent, idempotency_key: input.idempotency_key },
        { retried: true }
      )
    )
    createAuditEntriesStep(transform({ outcome }, ({ outcome }) => outcome.audit))
    emitPaymentDeskEventsStep(transform({ outcome }, ({ outcome }) => ({ events: outcome.events })))
    releaseLockStep(transform({ lockKey }, ({ lockKey }) => ({ key: lockKey })))
    return new WorkflowResponse({ refund_request: settled.refund_request })
  }
)
