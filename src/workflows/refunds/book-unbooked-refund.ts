import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { addOrderTransactionStep } from "@medusajs/medusa/core-flows"
import { addRefundCreditLineWorkflow } from "./add-refund-credit-line"

/** Input of `bookUnbookedRefundWorkflow`: one Medusa refund the order's books miss. */
export type BookUnbookedRefundWorkflowInput = {
  order_id: string
  /** Medusa's refund id: the order transaction's and credit line's reference. */
  refund_id: string
  /** What is missing from the order's books, positive. */
  amount: number
  currency_code: string
  /** The credit line core's refund would add (`refundCreditLineOf`), 0 for none. */
  credit_line_amount: number
}

export const bookUnbookedRefundWorkflowId = "payment-desk-book-unbooked-refund"

/**
 * Books a refund Medusa made (its Refund row exists, the money has left)
 * that the order's books miss, exactly as core's `refundPaymentWorkflow`
 * books one: the order transaction (core's `addOrderTransactionStep`,
 * reference `refund`, its id) and the refund credit line. A failure undoes
 * both; the next run books it again.
 */
export const bookUnbookedRefundWorkflow = createWorkflow(
  bookUnbookedRefundWorkflowId,
  (input: WorkflowData<BookUnbookedRefundWorkflowInput>) => {
    addOrderTransactionStep(
      transform({ input }, ({ input }) => ({
        order_id: input.order_id,
        amount: -input.amount,
        currency_code: input.currency_code,
        reference: "refund",
        reference_id: input.refund_id,
      }))
    )
    when("refund-credit-line", { input }, ({ input }) => input.credit_line_amount > 0).then(() => {
      addRefundCreditLineWorkflow.runAsStep({
        input: transform({ input }, ({ input }) => ({
          order_id: input.order_id,
          amount: input.credit_line_amount,
          reference: "refund" as const,
          reference_id: input.refund_id,
        })),
      })
    })
    return new WorkflowResponse(input)
  }
)
