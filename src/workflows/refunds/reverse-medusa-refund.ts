import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { addRefundCreditLineWorkflow } from "./add-refund-credit-line"
import { removeMedusaRefundStep } from "./steps/remove-medusa-refund"

export const reverseMedusaRefundWorkflowId = "payment-desk-reverse-medusa-refund"

/**
 * Takes a ledger refund that failed after it had succeeded back out of
 * Medusa's books: Refund row, order transaction and collection totals go,
 * and a credit line of the opposite amount offsets its refund credit line, so the
 * order shows the money as not returned. Resumable.
 */
export const reverseMedusaRefundWorkflow = createWorkflow(
  reverseMedusaRefundWorkflowId,
  (input: WorkflowData<{ refund_request_id: string }>) => {
    const removed = removeMedusaRefundStep(input)
    when("offset-refund-credit-line", { removed }, ({ removed }) => removed.reversal_amount !== 0).then(
      () => {
        addRefundCreditLineWorkflow.runAsStep({
          input: transform({ removed }, ({ removed }) => ({
            order_id: removed.order_id,
            amount: removed.reversal_amount,
            reference: "refund_reversal" as const,
            reference_id: removed.refund_id!,
          })),
        })
      }
    )
    return new WorkflowResponse(removed)
  }
)
