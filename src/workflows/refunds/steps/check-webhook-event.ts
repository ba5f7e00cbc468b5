import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export const checkWebhookEventStepId = "check-webhook-event"

/** Whether a provider's webhook event was handled before (delivery is at least once). */
export const checkWebhookEventStep = createStep(
  checkWebhookEventStepId,
  async (input: { provider: string; event_id: string }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const [seen] = await desk.listWebhookEvents({ provider: input.provider, event_id: input.event_id }, { select: ["id"] })
    return new StepResponse({ first: !seen })
  }
)
