import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

export type RecordRefundPayoutStepInput = {
  refund_request_id: string
  reference: string
  paid_at?: Date | string | null
}

export const recordRefundPayoutStepId = "record-refund-payout"

/**
 * Marks a manual refund `awaiting_payout` → `succeeded` once the merchant
 * paid it out, with a compare-and-set: of several concurrent payouts one
 * wins; the others change nothing and are refused naming the row's status.
 */
export const recordRefundPayoutStep = createStep(
  recordRefundPayoutStepId,
  async (input: RecordRefundPayoutStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const paidAt = input.paid_at ? new Date(input.paid_at) : new Date()
    if (paidAt.getTime() > Date.now() + 60_000) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "paid_at: cannot be in the future")
    }
    const updated = await desk.transitionRefundRequest({
      id: input.refund_request_id,
      from: ["awaiting_payout"],
      to: "succeeded",
      patch: { payout_reference: input.reference, settled_at: paidAt, next_attempt_at: null },
    })
    if (!updated) {
      const row = await desk.retrieveRefundRequest(input.refund_request_id)
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Refund ${row.id} is ${row.status}: only a refund awaiting a manual payout can have its payout recorded`
      )
    }
    return new StepResponse(updated)
  }
  // No compensation: the merchant says the money went out; what follows
  // (audit, event) is keyed and only goes forward.
)
