import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ChangeActionType, OrderChangeType } from "@medusajs/framework/utils"
import { createOrderChangeActionsWorkflow, createOrderChangeStep } from "@medusajs/medusa/core-flows"
import { confirmOrderChangeStep } from "./steps/confirm-order-change"

/** Input of `addRefundCreditLineWorkflow`. */
export type AddRefundCreditLineWorkflowInput = {
  order_id: string
  /** Positive for a refund, negative to offset the credit line of a refund that was taken back. */
  amount: number
  reference: "refund" | "refund_reversal"
  /** Medusa's refund id: one credit line per refund and reference. */
  reference_id: string
}

export const addRefundCreditLineWorkflowId = "payment-desk-add-refund-credit-line"

/**
 * Adds a refund credit line to an order the way core's refund does (core's
 * `createOrderRefundCreditLinesWorkflow`, which core-flows does not export:
 * the same order change of type `credit_line`, the same `CREDIT_LINE_ADD`
 * action through core's `createOrderChangeActionsWorkflow`, confirmed), so the
 * order's total and pending difference follow the money.
 */
export const addRefundCreditLineWorkflow = createWorkflow(
  addRefundCreditLineWorkflowId,
  (input: WorkflowData<AddRefundCreditLineWorkflowInput>) => {
    const change = createOrderChangeStep(
      transform({ input }, ({ input }) => ({ change_type: OrderChangeType.CREDIT_LINE, order_id: input.order_id }))
    )
    createOrderChangeActionsWorkflow.runAsStep({
      input: transform({ input, change }, ({ input, change }) => [
        {
          order_change_id: change.id,
          order_id: input.order_id,
          version: change.version,
          action: ChangeActionType.CREDIT_LINE_ADD,
          reference: input.reference,
          reference_id: input.reference_id,
          amount: input.amount,
        },
      ]),
    })
    confirmOrderChangeStep(
      transform({ input, change }, ({ input, change }) => ({ order_id: input.order_id, order_change_id: change.id }))
    )
    return new WorkflowResponse(change)
  }
)
