import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { emailKeys, paymentDetailsData, readOrderContact } from "../../../utils/notifications/email-data"
import { sendNotificationOnce } from "../../../utils/notifications/send-once"
import { retrieveOrderPaymentSummary } from "../../../utils/orders/retrieve-order-payments"
import type { CustomerEmailResult } from "./send-instructions-email"

export const sendReminderEmailStepId = "send-reminder-email"

/**
 * Reminds the customer of a manual payment still due whose pay-by date is
 * within `emails.reminder_hours_before` hours and has not passed, once per
 * order; the order is read again here (it may have been paid or closed since
 * the job chose it).
 */
export const sendReminderEmailStep = createStep(
  sendReminderEmailStepId,
  async (input: { order_id: string }, { container }): Promise<StepResponse<CustomerEmailResult>> => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const options = desk.getOptions().emails
    const contact = await readOrderContact(container, input.order_id)
    if (!contact?.customer_email) {
      return new StepResponse({ outcome: "not_wanted", why: "the order has no customer email" })
    }
    const [summary, closures] = await Promise.all([
      retrieveOrderPaymentSummary(container, input.order_id),
      desk.listOrderClosures({ order_id: input.order_id }, { select: ["id"], take: 1 }),
    ])
    if (!summary.payment_method_name || !summary.pay_by) {
      return new StepResponse({ outcome: "not_wanted", why: "the order has no manual payment with a deadline" })
    }
    if (closures.length || !["pending", "requires_action"].includes(summary.status)) {
      return new StepResponse({ outcome: "not_wanted", why: `the order is ${closures.length ? "closed" : summary.status}` })
    }
    if (summary.outstanding_amount <= 0) {
      return new StepResponse({ outcome: "not_wanted", why: "nothing is due" })
    }
    const msLeft = new Date(summary.pay_by).getTime() - Date.now()
    if (msLeft <= 0 || msLeft > options.reminder_hours_before * 3_600_000) {
      return new StepResponse({ outcome: "not_wanted", why: "the deadline is not within the reminder window" })
    }
    const outcome = await sendNotificationOnce(container, {
      to: contact.customer_email,
      channel: "email",
      template: options.reminder_template,
      data: { ...paymentDetailsData(contact, summary), hours_left: Math.floor(msLeft / 3_600_000) },
      trigger_type: "payment_desk.payment_reminder",
      resource_type: "order",
      resource_id: contact.order_id,
      receiver_id: contact.customer_id,
      idempotency_key: emailKeys.reminder(contact.order_id),
    })
    return new StepResponse({ outcome })
  }
  // No compensation: an email that was sent cannot be unsent.
)
