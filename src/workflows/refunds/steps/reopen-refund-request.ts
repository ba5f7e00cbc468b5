import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { refundOutcome, RefundContext } from "../../../utils/refunds/outcome"

export const reopenRefundRequestStepId = "reopen-refund-request"

/**
 * Puts a `failed` refund back to `pending` for its next attempt, with a
 * compare-and-set: of two concurrent retries one wins; the other changes
 * nothing and is refused with 409.
 */
export const reopenRefundRequestStep = createStep(
  reopenRefundRequestStepId,
  async (input: { refund_request_id: string; context: RefundContext }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const reopened = await desk.transitionRefundRequest({
      id: row.id,
      from: ["failed"],
      to: "pending",
      attempts: row.attempts,
      patch: { settled_at: null, next_attempt_at: null },
      // Written with the reopening: its Idempotency-Key answers a retried request.
      audit: refundOutcome(row, "failed", input.context, { retried: true, changed: false }).audit,
    })
    if (!reopened) {
      const current = await desk.retrieveRefundRequest(row.id)
      throw new MedusaError(MedusaError.Types.CONFLICT, `Refund ${row.id} is ${current.status}: only a failed refund can be retried`)
    }
    return new StepResponse(reopened.row, { id: row.id, attempts: row.attempts, settled_at: row.settled_at, next_attempt_at: row.next_attempt_at })
  },
  // Back to `failed` only while no new attempt was dispatched (compare-and-set on the attempt).
  async (
    previous: { id: string; attempts: number; settled_at: Date | null; next_attempt_at: Date | null } | undefined,
    { container }
  ) => {
    if (!previous) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.transitionRefundRequest({
      id: previous.id,
      from: ["pending"],
      to: "failed",
      attempts: previous.attempts,
      patch: { settled_at: previous.settled_at, next_attempt_at: previous.next_attempt_at },
    })
  }
)
