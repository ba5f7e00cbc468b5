import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { createAuditEntriesStep } from "../shared/steps/create-audit-entries"
import { findPaymentOrdersStep } from "./steps/find-payment-orders"
import { planMedusaAuditEntriesStep } from "./steps/plan-medusa-audit-entries"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"

/** Input of `recordMedusaPaymentActionsWorkflow`: a payment (from `payment.*` events) or an order. */
export type RecordMedusaPaymentActionsInput = {
  payment_id?: string | null
  order_id?: string | null
  /** The Medusa event that triggered the run (`payment.captured`, `payment.refunded`, `order.canceled`). */
  event: string
}

export const recordMedusaPaymentActionsWorkflowId = "payment-desk-record-medusa-actions"

/**
 * Audits the money Medusa's own buttons moved on an order (capture,
 * mark-as-paid, refund, the refunds of core's cancel) with source `medusa`,
 * under the order's lock so a receipt or refund of the plugin in progress is
 * finished and recognised first: the plugin's own captures and refunds are
 * never recorded twice, and each Medusa capture or refund is recorded once.
 */
export const recordMedusaPaymentActionsWorkflow = createWorkflow(
  recordMedusaPaymentActionsWorkflowId,
  (input: WorkflowData<RecordMedusaPaymentActionsInput>) => {
    const found = findPaymentOrdersStep(
      transform({ input }, ({ input }) => ({ payment_id: input.payment_id, order_id: input.order_id }))
    )
    // An order canceled unpaid has no capture or refund to audit: no lock, no plan.
    const written = when("payment-of-an-order", { found }, ({ found }) => !!found.order_id && found.has_money_actions).then(() => {
      const lock = acquireOrderLockStep(transform({ found }, ({ found }) => ({ order_id: found.order_id as string })))
      const planned = planMedusaAuditEntriesStep(
        transform({ input, found }, ({ input, found }) => ({
          order_id: found.order_id as string,
          payment_id: input.payment_id,
          event: input.event,
        }))
      )
      const entries = createAuditEntriesStep(planned)
      releaseOrderLockStep(lock)
      return entries
    })
    return new WorkflowResponse({ audit_entries: transform({ written }, ({ written }) => written ?? []) })
  }
)
