import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { RefundContext } from "../../utils/refunds/outcome"
import { bookRefundStep } from "./steps/book-refund"
import { dispatchRefundStep } from "./steps/dispatch-refund"
import { settleRefundRowStep } from "./steps/settle-refund-row"

/** Input of `attemptRefundWorkflow`. */
export type AttemptRefundWorkflowInput = {
  refund_request_id: string
  /** Who asked, for the audit facts of the outcome. */
  context: RefundContext
  /** The row's first attempt (its `refund_requested` fact is written with the outcome). */
  requested?: boolean
}

export const attemptRefundWorkflowId = "payment-desk-attempt-refund"

/**
 * One attempt of a `pending` ledger row, run under the order's lock by the
 * workflow that calls it: record the dispatch, call the provider, book what
 * it moved in Medusa, settle the row. After the provider call it only goes
 * forward: a booking failure leaves the row `pending` for reconciliation.
 * The outcome's audit facts are written with the row's change; the caller
 * emits the returned events.
 */
export const attemptRefundWorkflow = createWorkflow(
  attemptRefundWorkflowId,
  (input: WorkflowData<AttemptRefundWorkflowInput>) => {
    const dispatched = dispatchRefundStep(transform({ input }, ({ input }) => ({ refund_request_id: input.refund_request_id })))
    const booked = bookRefundStep(
      transform({ dispatched }, ({ dispatched }) => ({
        refund_request_id: dispatched.refund_request_id,
        outcome: dispatched.answer.outcome,
      }))
    )
    const settled = settleRefundRowStep(
      transform({ input, dispatched, booked }, ({ input, dispatched, booked }) => ({
        refund_request_id: dispatched.refund_request_id,
        answer: dispatched.answer,
        booked,
        context: input.context,
        requested: input.requested,
      }))
    )
    return new WorkflowResponse(settled)
  }
)
