import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Logger } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import { sendNotificationOnce } from "../../../utils/notifications/send-once"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { codeText } from "../../../utils/i18n/server-text"
import { readOrderContact } from "../../../utils/notifications/email-data"

/** Email templates of the cancellation request messages, by the request's status. */
export const CANCELLATION_TEMPLATES = {
  open: "payment-desk-cancellation-requested",
  approved: "payment-desk-cancellation-approved",
  declined: "payment-desk-cancellation-declined",
} as const

export const sendCancellationNotificationStepId = "send-cancellation-notification"

/**
 * Emails the customer about their cancellation request as it stands now
 * (received, approved, declined with the store's message), once per request
 * and status: the Notification Module's idempotency key
 * `payment-desk-cancellation-<status>-<request id>` makes a redelivered
 * event send nothing new; a failed send is retried by the step's retries.
 */
export const sendCancellationNotificationStep = createStep(
  sendCancellationNotificationStepId,
  async (input: { cancellation_request_id: string }, { container }): Promise<StepResponse<{ sent: boolean; reason: string | null }>> => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    const request = await desk.retrieveCancellationRequest(input.cancellation_request_id)
    const contact = await readOrderContact(container, request.order_id)
    if (!contact?.customer_email) {
      return new StepResponse({ sent: false, reason: "no email" })
    }
    const status = request.status as keyof typeof CANCELLATION_TEMPLATES
    const key = `payment-desk-cancellation-${status}-${request.id}`
    let outcome
    try {
      outcome = await sendNotificationOnce(container, {
        to: contact.customer_email,
        channel: "email",
        template: CANCELLATION_TEMPLATES[status],
        data: {
          cancellation_request_id: request.id,
          order_id: request.order_id,
          order_display_id: contact.order_display_id,
          status,
          reason: request.reason,
          // In the customer's language (the order's locale), as every email's texts.
          reason_label: request.reason ? codeText(contact.language, "reasons", request.reason) : null,
          locale: contact.locale,
          language: contact.language,
          message: request.answer_message,
        },
        idempotency_key: key,
      })
    } catch (error) {
      logger.error(`medusa-payment-desk: the email for cancellation request ${request.id} failed: ${(error as Error).message}`)
      throw error
    }
    if (outcome !== "sent") {
      return new StepResponse({ sent: false, reason: outcome === "no_provider" ? "no email provider" : "sent before" })
    }
    return new StepResponse({ sent: true, reason: null })
  }
  // No compensation: a message that was sent cannot be unsent.
)
