import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ProviderOutcome } from "../../../utils/refunds/transitions"
import { bookMedusaRefundWorkflow } from "../book-medusa-refund"

export type BookRefundStepInput = { refund_request_id: string; outcome: ProviderOutcome | "none" }

/** Whether Medusa's books now hold the refund (null: nothing to book for this outcome). */
export type BookedRefund = { booked: boolean | null; medusa_refund_id: string | null; error: string | null }

export const bookRefundStepId = "book-refund"

/**
 * For an outcome that moved (or recorded) money, books it in Medusa through
 * `bookMedusaRefundWorkflow`. A failure of the booking is reported, not
 * thrown: the provider has answered, so the run only goes forward; the row
 * stays `pending` and reconciliation completes the booking.
 */
export const bookRefundStep = createStep(
  bookRefundStepId,
  async (input: BookRefundStepInput, { container }) => {
    if (input.outcome !== "succeeded" && input.outcome !== "recorded") {
      return new StepResponse<BookedRefund>({ booked: null, medusa_refund_id: null, error: null })
    }
    const { result, errors } = await bookMedusaRefundWorkflow(container).run({
      input: { refund_request_id: input.refund_request_id },
      throwOnError: false,
    })
    if (errors?.length) {
      const message = errors.map((e) => (e.error as Error)?.message ?? String(e.error)).join("; ")
      return new StepResponse<BookedRefund>({ booked: false, medusa_refund_id: null, error: message })
    }
    return new StepResponse<BookedRefund>({ booked: true, medusa_refund_id: result.refund_id, error: null })
  }
  // No compensation: a booking is completed, never undone (see above).
)
