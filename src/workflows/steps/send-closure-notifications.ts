import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, Modules, NotificationStatus } from "@medusajs/framework/utils"
import type { ConfigModule, CreateNotificationDTO, INotificationModuleService, Logger } from "@medusajs/framework/types"
import { channelConfigured, PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

export const sendClosureNotificationsStepId = "send-closure-notifications"

/** The Notification Module's provider registry, the lookup `createNotifications` routes by (not in its public interface). */
type ProviderRegistry = { getProviderForChannels(channel: string): Promise<{ is_enabled?: boolean } | undefined> }

/** The generated row methods of the Notification Module that its typed interface leaves out. */
type NotificationRows = {
  listNotifications(filters: { idempotency_key: string }, config: { take: number }): Promise<{ id: string; status: string }[]>
  deleteNotifications(ids: string[]): Promise<void>
}

/** Whether the Notification Module has an enabled provider for `channel`; the store's config decides if its registry is out of reach. */
async function hasProvider(notifications: INotificationModuleService, config: ConfigModule, channel: string): Promise<boolean> {
  const registry = (notifications as unknown as { notificationProviderService_?: Partial<ProviderRegistry> })
    .notificationProviderService_
  if (typeof registry?.getProviderForChannels === "function") {
    return Boolean((await registry.getProviderForChannels(channel))?.is_enabled)
  }
  return channelConfigured(config, channel)
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
    const notifications = container.resolve<INotificationModuleService>(Modules.NOTIFICATION)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const config = container.resolve<ConfigModule>(ContainerRegistrationKeys.CONFIG_MODULE)
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
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

    const wanted: { effect: string; notification: CreateNotificationDTO }[] = []
    if (closure.notify_customer && order?.email) {
      wanted.push({
        effect: "customer_email",
        notification: {
          to: order.email,
          channel: "email",
          template: options.customerTemplate,
          data: facts,
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
          data: {
            title: `Order #${order?.display_id ?? closure.order_id} closed`,
            description: `Closed by ${closure.actor_type} (${closure.reason})${
              Number(closure.refunded_amount) > 0 ? `; refunded ${closure.refunded_amount} ${closure.currency_code.toUpperCase()}` : ""
            }`,
            ...facts,
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
      if (!(await hasProvider(notifications, config, notification.channel))) {
        // Warned about once at boot (the module's loader); nothing to send through.
        skipped.push(effect)
        continue
      }
      const key = notification.idempotency_key as string
      const rows = notifications as unknown as NotificationRows
      const [earlier] = await rows.listNotifications({ idempotency_key: key }, { take: 1 })
      if (earlier && earlier.status !== NotificationStatus.FAILURE) {
        // Sent (or being sent) by an earlier run: the key makes it once.
        continue
      }
      if (earlier) {
        // Medusa 2.21 resends a failed key under a new id and then cannot find that row to update,
        // so it would send again on every retry: drop the failed row and let it start afresh.
        await rows.deleteNotifications([earlier.id])
      }
      try {
        await notifications.createNotifications(notification)
        sent.push(effect)
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
