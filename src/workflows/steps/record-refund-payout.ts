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

/** Marks a manual refund `awaiting_payout` → `succeeded` once the merchant paid it out. */
export const recordRefundPayoutStep = createStep(
  recordRefundPayoutStepId,
  async (input: RecordRefundPayoutStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    if (row.status !== "awaiting_payout") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Refund ${row.id} is ${row.status}: only a refund awaiting a manual payout can have its payout recorded`
      )
    }
    const paidAt = input.paid_at ? new Date(input.paid_at) : new Date()
    if (paidAt.getTime() > Date.now() + 60_000) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "paid_at: cannot be in the future")
    }
    const updated = await desk.updateRefundRequests({
      id: row.id,
      status: "succeeded",
      payout_reference: input.reference,
      settled_at: paidAt,
    })
    return new StepResponse(updated, row.id)
  },
  async (id: string | undefined, { container }) => {
    if (!id) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.updateRefundRequests({ id, status: "awaiting_payout", payout_reference: null, settled_at: null })
  }
)
