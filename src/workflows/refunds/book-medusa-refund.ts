import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { PaymentEvents } from "@medusajs/framework/utils"
import {
  addOrderTransactionStep,
  emitEventStep,
} from "@medusajs/medusa/core-flows"
import { addRefundCreditLineWorkflow } from "./add-refund-credit-line"
import { ensureMedusaRefundStep } from "./steps/ensure-medusa-refund"

export const bookMedusaRefundWorkflowId = "payment-desk-book-medusa-refund"

/**
 * Books a ledger refund in Medusa exactly as core's `refundPaymentWorkflow`
 * books its own: the Refund row and payment collection totals, the order
 * transaction (core's `addOrderTransactionStep`), the refund credit line
 * (as core's refund credit line workflow adds it) and `payment.refunded`.
 * Resumable: run again after a failure, it adds only what is missing.
 */
export const bookMedusaRefundWorkflow = createWorkflow(
  bookMedusaRefundWorkflowId,
  (input: WorkflowData<{ refund_request_id: string }>) => {
    const ensured = ensureMedusaRefundStep(input)
    addOrderTransactionStep(
      transform({ ensured }, ({ ensured }) => ({
        order_id: ensured.order_id,
        amount: -ensured.amount,
        currency_code: ensured.currency_code,
        reference: "refund",
        reference_id: ensured.refund_id,
      }))
    )
    when("refund-credit-line", { ensured }, ({ ensured }) => ensured.credit_line_amount > 0).then(
      () => {
        addRefundCreditLineWorkflow.runAsStep({
          input: transform({ ensured }, ({ ensured }) => ({
            order_id: ensured.order_id,
            amount: ensured.credit_line_amount,
            reference: "refund" as const,
            reference_id: ensured.refund_id,
          })),
        })
      }
    )
    when("payment-refunded-event", { ensured }, ({ ensured }) => ensured.created).then(() => {
      emitEventStep({
        eventName: PaymentEvents.REFUNDED,
        data: transform({ ensured }, ({ ensured }) => ({ id: ensured.payment_id })),
      })
    })
    return new WorkflowResponse(ensured)
  }
)
