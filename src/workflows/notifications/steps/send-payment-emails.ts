import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import type { PaymentRecordedEventData } from "../../../events"
import { emailAmount, emailKeys, orderFields, readOrderContact } from "../../../utils/notifications/email-data"
import { sendNotificationOnce } from "../../../utils/notifications/send-once"
import { retrieveOrderPaymentSummary } from "../../../utils/orders/retrieve-order-payments"
import type { CustomerEmailResult } from "./send-instructions-email"

export const sendPaymentEmailsStepId = "send-payment-emails"

/**
 * Emails the customer a receipt for money recorded on the order (amount
 * received, amount still due; once per audit entry) and, when nothing is due
 * any more, that the order is fully paid (once per order).
 */
export const sendPaymentEmailsStep = createStep(
  sendPaymentEmailsStepId,
  async (
    input: PaymentRecordedEventData,
    { container }
  ): Promise<StepResponse<{ payment_received: CustomerEmailResult; fully_paid: CustomerEmailResult }>> => {
    const contact = await readOrderContact(container, input.order_id)
    if (!contact?.customer_email) {
      const none: CustomerEmailResult = { outcome: "not_wanted", why: "the order has no customer email" }
      return new StepResponse({ payment_received: none, fully_paid: none })
    }
    const options = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().emails
    const currency = input.currency_code
    // An event emitted before the payload carried the amount due: the order as it is now.
    const due =
      typeof input.outstanding_amount === "number"
        ? input.outstanding_amount
        : (await retrieveOrderPaymentSummary(container, input.order_id)).outstanding_amount
    const facts = {
      ...orderFields(contact),
      currency_code: currency,
      amount_received: input.amount,
      amount_received_formatted: emailAmount(contact, input.amount, currency),
      amount_due: due,
      amount_due_formatted: emailAmount(contact, due, currency),
      method: input.method,
      reference: input.reference,
      audit_entry_id: input.audit_entry_id,
    }
    const common = {
      to: contact.customer_email,
      channel: "email",
      trigger_type: "payment_desk.payment_recorded",
      resource_type: "order",
      resource_id: contact.order_id,
      receiver_id: contact.customer_id,
    }
    // The receipt goes before the "fully paid" email; a failure of either is retried with the step, the sent one skipped by its key.
    const received = await sendNotificationOnce(container, {
      ...common,
      template: options.payment_received_template,
      data: { ...facts, fully_paid: due <= 0 },
      idempotency_key: emailKeys.paymentReceived(input.audit_entry_id),
    })
    if (due > 0) {
      return new StepResponse({ payment_received: { outcome: received }, fully_paid: { outcome: "not_wanted", why: "money is still due" } })
    }
    const paid = await sendNotificationOnce(container, {
      ...common,
      template: options.fully_paid_template,
      data: facts,
      idempotency_key: emailKeys.fullyPaid(contact.order_id),
    })
    return new StepResponse({ payment_received: { outcome: received }, fully_paid: { outcome: paid } })
  }
  // No compensation: an email that was sent cannot be unsent.
)
