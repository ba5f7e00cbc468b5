import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { emailKeys, paymentDetailsData, readOrderContact } from "../../../utils/notifications/email-data"
import { sendNotificationOnce, SendOnceOutcome } from "../../../utils/notifications/send-once"
import { retrieveOrderPaymentSummary } from "../../../utils/orders/retrieve-order-payments"

/** What became of an email: sent or skipped by its key or for want of a provider, or not wanted and why. */
export type CustomerEmailResult = { outcome: SendOnceOutcome | "not_wanted"; why?: string }

export const sendInstructionsEmailStepId = "send-instructions-email"

/**
 * Emails the customer how to pay an order placed with a manual method
 * (amount due, pay-by date, account, reference, instruction text, EPC QR
 * code), once per order; orders paid otherwise, or with nothing due, get none.
 */
export const sendInstructionsEmailStep = createStep(
  sendInstructionsEmailStepId,
  async (input: { order_id: string }, { container }): Promise<StepResponse<CustomerEmailResult>> => {
    const contact = await readOrderContact(container, input.order_id)
    if (!contact?.customer_email) {
      return new StepResponse({ outcome: "not_wanted", why: "the order has no customer email" })
    }
    const summary = await retrieveOrderPaymentSummary(container, input.order_id)
    if (!summary.payment_method_name) {
      return new StepResponse({ outcome: "not_wanted", why: "the order is not paid with a manual method" })
    }
    if (summary.outstanding_amount <= 0 || summary.status === "canceled") {
      return new StepResponse({ outcome: "not_wanted", why: "nothing is due" })
    }
    const template = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().emails.instructions_template
    const outcome = await sendNotificationOnce(container, {
      to: contact.customer_email,
      channel: "email",
      template,
      data: paymentDetailsData(contact, summary),
      trigger_type: "order.placed",
      resource_type: "order",
      resource_id: contact.order_id,
      receiver_id: contact.customer_id,
      idempotency_key: emailKeys.instructions(contact.order_id),
    })
    return new StepResponse({ outcome })
  }
  // No compensation: an email that was sent cannot be unsent.
)
