import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { OnceNotification, sendNotificationOnce } from "../../../utils/notifications/send-once"
import { actorText, codeText, emailMoneyText, moneyText, serverText, type ServerLanguage } from "../../../utils/i18n/server-text"
import { readOrderContact, refundArrivesText } from "../../../utils/notifications/email-data"
import { actorBrief, describePeople } from "../../../utils/people/describe-people"

export const sendClosureNotificationsStepId = "send-closure-notifications"

/**
 * The admin bell's title and line for a closure, in `language`: "Order #12
 * closed" and "Payment not received in time, closed by Auto-close job; €50.00
 * refunded", with the reason, the person (named as the admin lists name
 * them) or job, and the amount in words and figures, never codes.
 */
export async function closureFeedText(
  container: MedusaContainer,
  closure: { order_id: string; reason: string; actor_type: string; actor_id: string | null; refunded_amount: unknown; currency_code: string },
  displayId: number | null,
  language: ServerLanguage
): Promise<{ title: string; description: string }> {
  const people = await describePeople(container, {
    users: closure.actor_type === "user" ? [closure.actor_id] : [],
    customers: closure.actor_type === "customer" ? [closure.actor_id] : [],
  })
  const who = actorText(language, actorBrief(people, closure.actor_type, closure.actor_id))
  const refunded = Number(closure.refunded_amount)
  const reason = codeText(language, "reasons", closure.reason)
  const amount = moneyText(language, refunded, closure.currency_code)
  return {
    title: serverText(language, "bell.orderClosedTitle", { order: displayId === null ? "" : `#${displayId}` }).replace(/\s+/g, " "),
    description: serverText(language, refunded > 0 ? "bell.orderClosedRefunded" : "bell.orderClosed", { reason, who, amount }),
  }
}

/**
 * Tells the customer (email, when notify is on and a provider serves `email`)
 * and the admin (`feed`) that an order was closed, once per closure: the
 * Notification Module sends each idempotency key once, and a failed send is
 * retried by the step's retries.
 */
export const sendClosureNotificationsStep = createStep(
  sendClosureNotificationsStepId,
  async (input: { order_closure_id: string }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    const closure = await desk.retrieveOrderClosure(input.order_closure_id)
    const contact = await readOrderContact(container, closure.order_id)
    const options = desk.getOptions().notifications
    const refunds = ((closure.refund_request_ids as { ids?: string[] } | null)?.ids ?? []) as string[]
    const manualRefund = refunds.length
      ? (await desk.listRefundRequests({ id: refunds })).some((row) => row.status === "awaiting_payout")
      : false
    const refunded = Number(closure.refunded_amount)
    // The facts in one language: the customer's for the email, the options' for the bell.
    const facts = (language: ServerLanguage) => ({
      order_id: closure.order_id,
      order_display_id: contact?.order_display_id ?? null,
      reason: closure.reason,
      reason_label: codeText(language, "reasons", closure.reason),
      note: closure.note,
      refunded_amount: refunded,
      refunded_amount_formatted: emailMoneyText(language, refunded, closure.currency_code),
      currency_code: closure.currency_code,
      payment_method: closure.payment_method,
      // Card refunds reach the customer in 5–10 business days; manual ones when the merchant pays them out.
      refund_arrives: refunded > 0 ? refundArrivesText(language, manualRefund ? "payout" : "card") : null,
      locale: contact?.locale ?? null,
      language,
    })

    const wanted: { effect: string; notification: OnceNotification }[] = []
    if (closure.notify_customer && contact?.customer_email) {
      wanted.push({
        effect: "customer_email",
        notification: {
          to: contact.customer_email,
          channel: "email",
          template: options.customerTemplate,
          data: facts(contact.language),
          idempotency_key: `payment-desk-order-closed-customer-${closure.id}`,
        },
      })
    }
    if (options.adminFeed) {
      wanted.push({
        effect: "admin_feed",
        notification: {
          to: "",
          channel: "feed",
          template: "admin-ui",
          // Medusa's bell shows these as written: in words, in the language the options name.
          data: {
            ...(await closureFeedText(container, closure, contact?.order_display_id ?? null, options.language)),
            ...facts(options.language),
          },
          idempotency_key: `payment-desk-order-closed-feed-${closure.id}`,
        },
      })
    }

    const sent: string[] = []
    const skipped: string[] = []
    const errors: unknown[] = []
    // Each message goes on its own, so a failing email provider never holds back the admin feed.
    for (const { effect, notification } of wanted) {
      try {
        const outcome = await sendNotificationOnce(container, notification)
        if (outcome === "sent") sent.push(effect)
        // Warned about once at boot (the module's loader); nothing to send through.
        if (outcome === "no_provider") skipped.push(effect)
      } catch (error) {
        logger.error(`medusa-payment-desk: the ${notification.channel} message for closure ${closure.id} failed: ${(error as Error).message}`)
        errors.push(error)
      }
    }
    if (errors.length) {
      // The step's retries send what failed; what was sent is skipped by its key.
      throw errors[0]
    }
    return new StepResponse({ sent, skipped })
  }
  // No compensation: a message that was sent cannot be unsent.
)
