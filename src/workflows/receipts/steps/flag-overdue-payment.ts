import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export const flagOverduePaymentStepId = "flag-overdue-payment"

/** Claims the one-time overdue flag of a payment; false when it was flagged before. */
export const flagOverduePaymentStep = createStep(
  flagOverduePaymentStepId,
  async (input: { payment_id: string }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const flagged = await desk.claimClosureEffect(input.payment_id, "payment_overdue")
    return new StepResponse({ flagged }, flagged ? input.payment_id : undefined)
  },
  async (paymentId: string | undefined, { container }) => {
    if (paymentId) {
      await container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).releaseClosureEffect(paymentId, "payment_overdue")
    }
  }
)
