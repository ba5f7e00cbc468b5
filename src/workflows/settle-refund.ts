import { createHook, createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { refundOutcome } from "../utils/refund-outcome"
import { paymentLockKey } from "./issue-refund"
import { applyRefundStatusStep, ProviderRefundStatus } from "./steps/apply-refund-status"
import { createAuditEntriesStep } from "./steps/create-audit-entries"
import { emitPaymentDeskEventsStep } from "./steps/emit-payment-desk-events"
import { loadRefundRequestStep } from "./steps/load-refund-request"

export type SettleRefundWorkflowInput = {
  refund_request_id: string
  provider_status: ProviderRefundStatus
  provider_refund_id?: string | null
  failure_reason?: string | null
  /** `webhook` or `reconciliation`. */
  source: string
}

export const settleRefundWorkflowId = "payment-desk-settle-refund"

/**
 * Applies a provider's verdict on a refund (from a webhook or from
 * reconciliation) under the payment's lock; the same verdict twice changes
 * nothing the second time.
 */
export const settleRefundWorkflow = createWorkflow(
  settleRefundWorkflowId,
  (input: WorkflowData<SettleRefundWorkflowInput>) => {
    const row = loadRefundRequestStep(transform({ input }, ({ input }) => ({ refund_request_id: input.refund_request_id })))
    const lockKey = transform({ row }, ({ row }) => paymentLockKey(row.payment_id))
    acquireLockStep(
      transform({ lockKey }, ({ lockKey }) => ({ key: lockKey, timeout: 30, retryInterval: 0.05, ttl: 300 }))
    )
    const applied = applyRefundStatusStep(input)
    const outcome = transform({ applied, input }, ({ applied, input }) =>
      applied.changed
        ? refundOutcome(applied.refund_request, applied.previous_status, {
            actor: { type: "system", id: input.source },
          })
        : { audit: [], events: [] }
    )
    createAuditEntriesStep(transform({ outcome }, ({ outcome }) => outcome.audit))
    emitPaymentDeskEventsStep(transform({ outcome }, ({ outcome }) => ({ events: outcome.events })))
    const refundSettled = createHook("refundSettled", { input, refund_request: applied.refund_request })
    releaseLockStep(transform({ lockKey }, ({ lockKey }) => ({ key: lockKey })))
    return new WorkflowResponse(
      { refund_request: applied.refund_request, changed: applied.changed },
      { hooks: [refundSettled] }
    )
  }
)
