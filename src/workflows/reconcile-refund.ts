import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { MathBN } from "@medusajs/framework/utils"
import { refundOutcome } from "../utils/refund-outcome"
import { paymentLockKey } from "./issue-refund"
import { createAuditEntriesStep } from "./steps/create-audit-entries"
import { emitPaymentDeskEventsStep } from "./steps/emit-payment-desk-events"
import { loadRefundRequestStep } from "./steps/load-refund-request"
import { reconcileStripeRefundStep } from "./steps/reconcile-stripe-refund"

export const reconcileRefundWorkflowId = "payment-desk-reconcile-refund"

/**
 * Settles a refund still `pending` (or `requires_action`) by asking the
 * provider, under the payment's lock; run by the reconciliation job.
 */
export const reconcileRefundWorkflow = createWorkflow(
  reconcileRefundWorkflowId,
  (input: WorkflowData<{ refund_request_id: string }>) => {
    const row = loadRefundRequestStep(transform({ input }, ({ input }) => ({ refund_request_id: input.refund_request_id })))
    const lockKey = transform({ row }, ({ row }) => paymentLockKey(row.payment_id))
    acquireLockStep(
      transform({ lockKey }, ({ lockKey }) => ({ key: lockKey, timeout: 30, retryInterval: 0.05, ttl: 300 }))
    )
    const result = reconcileStripeRefundStep(transform({ row }, ({ row }) => ({ refund_request_id: row.id })))
    const outcome = transform({ result }, ({ result }) => {
      const context = { actor: { type: "system" as const, id: "reconciliation" } }
      const base = result.changed
        ? refundOutcome(result.refund_request, result.previous_status, context)
        : { audit: [], events: [] }
      const row = result.refund_request
      const flagged = result.unknown_refunds.map((stripeRefundId) => ({
        order_id: row.order_id,
        payment_id: row.payment_id,
        action: "refund_unknown_at_provider",
        actor_type: "system" as const,
        actor_id: "reconciliation",
        currency_code: row.currency_code,
        reference: stripeRefundId,
        note: `Stripe has refund ${stripeRefundId} on this payment, which the payment desk ledger did not make`,
        amount: null,
        metadata: { refund_request_id: row.id, amount_of_row: MathBN.convert(row.amount).toNumber() },
      }))
      return { audit: [...base.audit, ...flagged], events: base.events }
    })
    createAuditEntriesStep(transform({ outcome }, ({ outcome }) => outcome.audit))
    emitPaymentDeskEventsStep(transform({ outcome }, ({ outcome }) => ({ events: outcome.events })))
    releaseLockStep(transform({ lockKey }, ({ lockKey }) => ({ key: lockKey })))
    return new WorkflowResponse(result)
  }
)
