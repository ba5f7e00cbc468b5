import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { bookRefundStep } from "./steps/book-refund"
import { dispatchRefundStep } from "./steps/dispatch-refund"
import { settleRefundRowStep } from "./steps/settle-refund-row"

export const attemptRefundWorkflowId = "payment-desk-attempt-refund"

/**
 * One attempt of a `pending` ledger row, run under the order's lock by the
 * workflow that calls it: record the dispatch, call the provider, book what
 * it moved in Medusa, settle the row. After the provider call it only goes
 * forward: a booking failure leaves the row `pending` for reconciliation.
 */
export const attemptRefundWorkflow = createWorkflow(
  attemptRefundWorkflowId,
  (input: WorkflowData<{ refund_request_id: string }>) => {
    const dispatched = dispatchRefundStep(input)
    const booked = bookRefundStep(
      transform({ dispatched }, ({ dispatched }) => ({
        refund_request_id: dispatched.refund_request_id,
        outcome: dispatched.answer.outcome,
      }))
    )
    const settled = settleRefundRowStep(
      transform({ dispatched, booked }, ({ dispatched, booked }) => ({
        refund_request_id: dispatched.refund_request_id,
        answer: dispatched.answer,
        booked,
      }))
    )
    return new WorkflowResponse(settled)
  }
)
