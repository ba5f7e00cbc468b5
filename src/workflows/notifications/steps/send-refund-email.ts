import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { methodFromProviderId } from "../../../providers/manual-payment/options"
import { emailAmount, emailKeys, orderFields, readOrderContact, refundArrivesText } from "../../../utils/notifications/email-data"
import { sendNotificationOnce } from "../../../utils/notifications/send-once"
import type { CustomerEmailResult } from "./send-instructions-email"

/** The refund emails: asked for, paid out or sent, failed. */
export type RefundEmailKind = "requested" | "succeeded" | "failed"

export type SendRefundEmailStepInput = {
  refund_request_id: string
  kind: RefundEmailKind
  /** The refund's status when the event was emitted (a card refund's `refund_requested` already says `succeeded`). */
  status: string
}

export const sendRefundEmailStepId = "send-refund-email"

/**
 * Emails the customer about a refund when its ledger row says
 * `notify_customer`, once per refund and kind. "Requested" goes only while
 * the refund is still to come (a manual refund awaiting its payout: "we will
 * pay it out"; one the provider has not settled yet): a refund that settled
 * at once gets its outcome email instead, and a refund made by closing the
 * order is announced by the closure email.
 */
export const sendRefundEmailStep = createStep(
  sendRefundEmailStepId,
  async (input: SendRefundEmailStepInput, { container }): Promise<StepResponse<CustomerEmailResult>> => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    if (!row.notify_customer) {
      return new StepResponse({ outcome: "not_wanted", why: "notify_customer is off" })
    }
    if (input.kind === "requested") {
      if ((row.metadata as { for_closure?: boolean } | null)?.for_closure === true) {
        return new StepResponse({ outcome: "not_wanted", why: "the closure email announces it" })
      }
      if (!["awaiting_payout", "pending", "requires_action"].includes(input.status)) {
        return new StepResponse({ outcome: "not_wanted", why: `the refund settled at once (${input.status})` })
      }
    }
    const contact = await readOrderContact(container, row.order_id)
    if (!contact?.customer_email) {
      return new StepResponse({ outcome: "not_wanted", why: "the order has no customer email" })
    }
    const options = desk.getOptions().emails
    const template = {
      requested: options.refund_requested_template,
      succeeded: options.refund_succeeded_template,
      failed: options.refund_failed_template,
    }[input.kind]
    const manual = methodFromProviderId(row.provider_id) !== null
    const amount = MathBN.convert(row.amount).toNumber()
    // Card refunds reach the customer in 5–10 business days; manual ones when the merchant pays them out.
    const arrives =
      input.kind === "failed"
        ? null
        : refundArrivesText(contact.language, manual ? (input.kind === "succeeded" ? "paid_out" : "payout") : "card")
    const outcome = await sendNotificationOnce(container, {
      to: contact.customer_email,
      channel: "email",
      template,
      data: {
        ...orderFields(contact),
        refund_request_id: row.id,
        amount,
        amount_formatted: emailAmount(contact, MathBN.convert(row.amount).toNumber(), row.currency_code),
        currency_code: row.currency_code,
        status: input.status,
        note: row.note ?? null,
        // A manual method's refund is paid out by the merchant (bank transfer, cash), a card's by the provider.
        paid_out_by_merchant: manual,
        refund_arrives: arrives,
        payout_reference: row.payout_reference ?? null,
        failure_reason: input.kind === "failed" ? (row.last_error ?? null) : null,
      },
      trigger_type: `payment_desk.refund_${input.kind}`,
      resource_type: "order",
      resource_id: row.order_id,
      receiver_id: contact.customer_id,
      idempotency_key: emailKeys.refund(input.kind, row.id),
    })
    return new StepResponse({ outcome })
  }
  // No compensation: an email that was sent cannot be unsent.
)
