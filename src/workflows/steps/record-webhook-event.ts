import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

export type RecordWebhookEventStepInput = { provider: string; event_id: string; type: string }

export const recordWebhookEventStepId = "record-webhook-event"

/** Remembers a webhook event; `first: false` when it was delivered before. */
export const recordWebhookEventStep = createStep(
  recordWebhookEventStepId,
  async (input: RecordWebhookEventStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const first = await desk.markWebhookEventHandled(input)
    return new StepResponse({ first }, first ? input : undefined)
  },
  // Handling failed: forget the event so the provider's next delivery is handled.
  async (input: RecordWebhookEventStepInput | undefined, { container }) => {
    if (!input) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.forgetWebhookEvent({ provider: input.provider, event_id: input.event_id })
  }
)
