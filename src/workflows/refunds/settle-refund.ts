import { createHook, createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { GatewayAnswer } from "../../utils/refunds/gateways"
import { applyRefundVerdictWorkflow } from "./apply-refund-verdict"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { loadRefundRequestStep } from "./steps/load-refund-request"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"

/** Input of `settleRefundWorkflow`. */
export type SettleRefundWorkflowInput = {
  refund_request_id: string
  answer: GatewayAnswer
  /** `webhook` or `reconciliation`. */
  source: string
  /** Marked handled in the same transaction as the row's change. */
  webhook_event?: { provider: string; event_id: string; type: string } | null
}

export const settleRefundWorkflowId = "payment-desk-settle-refund"

/**
 * Applies a provider's verdict on a refund (a webhook) under the order's
 * lock; the same verdict twice changes nothing the second time.
 */
export const settleRefundWorkflow = createWorkflow(
  settleRefundWorkflowId,
  (input: WorkflowData<SettleRefundWorkflowInput>) => {
    const row = loadRefundRequestStep(transform({ input }, ({ input }) => ({ refund_request_id: input.refund_request_id })))
    const lock = acquireOrderLockStep(transform({ row }, ({ row }) => ({ order_id: row.order_id })))
    const settled = applyRefundVerdictWorkflow.runAsStep({ input })
    const refundSettled = createHook("refundSettled", { input, refund_request: settled.refund_request })
    releaseOrderLockStep(lock)
    return new WorkflowResponse(
      { refund_request: settled.refund_request, changed: settled.changed },
      { hooks: [refundSettled] }
    )
  }
)
