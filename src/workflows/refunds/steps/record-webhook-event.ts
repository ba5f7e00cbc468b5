import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export type RecordWebhookEventStepInput = { provider: string; event_id: string; type: string }

export const recordWebhookEventStepId = "record-webhook-event"

/**
 * Marks a webhook event handled once its effects are done (those that
 * changed a ledger row marked it in the same transaction already); a
 * redelivery of an event whose handling failed before this step is handled
 * again.
 */
export const recordWebhookEventStep = createStep(
  recordWebhookEventStepId,
  async (input: RecordWebhookEventStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.markWebhookEventHandled(input)
    return new StepResponse({ recorded: true })
  }
  // No compensation: it runs last, after every effect of the event.
)
