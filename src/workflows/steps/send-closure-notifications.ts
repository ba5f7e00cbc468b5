import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

export const sendClosureNotificationsStepId = "send-closure-notifications"

/**
 * Tells the customer (email, unless notify was off) and the admin (`feed`)
 * that an order was closed, once per closure: each message is claimed before
 * it is sent and given back if sending fails, so a retry sends it.
 */
export const sendClosureNotificationsStep = createStep(
  sendClosureNotificationsStepId,
  async (input: { order_closure_id: string }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const notifications = container.resolve(Modules.NOTIFICATION)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const closure = await desk.retrieveOrderClosure(input.order_closure_id)
    const { data } = await query.graph({ entity: "order", fields: ["id", "display_id", "email"], filters: { id: closure.order_id } })
    const order = data[0]
    const options = desk.getOptions().notifications
    const refunds = ((closure.refund_request_ids as { ids?: string[] } | null)?.ids ?? []) as string[]
    const manualRefund = refunds.length
      ? (await desk.listRefundRequests({ id: refunds })).some((row) => row.status === "awaiting_payout")
      : false
    const facts = {
      order_id: closure.order_id,
      order_display_id: order?.display_id ?? null,
      reason: closure.reason,
      note: closure.note,
      refunded_amount: Number(closure.refunded_amount),
      currency_code: closure.currency_code,
      payment_method: closure.payment_method,
      // Card refunds reach the customer in 5–10 business days; manual ones when the merchant pays them out.
      refund_arrives: Number(closure.refunded_amount) > 0 ? (manualRefund ? "when we have paid it out to you" : "within 5-10 business days") : null,
    }

    const sent: string[] = []
    const send = async (effect: string, notification: Parameters<typeof notifications.createNotifications>[0]) => {
      if (!(await desk.claimClosureEffect(closure.id, effect))) {
        return
      }
      try {
        await notifications.createNotifications(notification)
        sent.push(effect)
      } catch (error) {
        await desk.releaseClosureEffect(closure.id, effect)
        throw error
      }
    }
    if (closure.notify_customer && order?.email) {
      await send("customer_email", {
        to: order.email,
        channel: "email",
        template: options.customerTemplate,
        data: facts,
        idempotency_key: `payment-desk-order-closed-customer-${closure.id}`,
      })
    }
    if (options.adminFeed) {
      await send("admin_feed", {
        to: "",
        channel: "feed",
        template: "admin-ui",
        data: {
          title: `Order #${order?.display_id ?? closure.order_id} closed`,
          description: `Closed by ${closure.actor_type} (${closure.reason})${
            Number(closure.refunded_amount) > 0 ? `; refunded ${closure.refunded_amount} ${closure.currency_code.toUpperCase()}` : ""
          }`,
          ...facts,
        },
        idempotency_key: `payment-desk-order-closed-feed-${closure.id}`,
      })
    }
    return new StepResponse({ sent })
  }
  // No compensation: a message that was sent cannot be unsent.
)
