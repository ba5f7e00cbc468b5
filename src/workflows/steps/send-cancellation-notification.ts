import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, Modules, NotificationStatus } from "@medusajs/framework/utils"
import type { ConfigModule, INotificationModuleService, Logger } from "@medusajs/framework/types"
import { channelConfigured, PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { closeReasonLabel } from "../../utils/closures/reasons"

/** Email templates of the cancellation request messages, by the request's status. */
export const CANCELLATION_TEMPLATES = {
  open: "payment-desk-cancellation-requested",
  approved: "payment-desk-cancellation-approved",
  declined: "payment-desk-cancellation-declined",
} as const

export const sendCancellationNotificationStepId = "send-cancellation-notification"

/** The generated row methods of the Notification Module that its typed interface leaves out. */
type NotificationRows = {
  listNotifications(filters: { idempotency_key: string }, config: { take: number }): Promise<{ id: string; status: string }[]>
  deleteNotifications(ids: string[]): Promise<void>
}

/** The Notification Module's provider registry (not in its public interface). */
type ProviderRegistry = { getProviderForChannels(channel: string): Promise<{ is_enabled?: boolean } | undefined> }

// Copied from the closure notification step on purpose (minimal send-once logic); to be unified with the shared util.
async function hasProvider(notifications: INotificationModuleService, config: ConfigModule, channel: string): Promise<boolean> {
  const registry = (notifications as unknown as { notificationProviderService_?: Partial<ProviderRegistry> }).notificationProviderService_
  if (typeof registry?.getProviderForChannels === "function") {
    return Boolean((await registry.getProviderForChannels(channel))?.is_enabled)
  }
  return channelConfigured(config, channel)
}

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
    const notifications = container.resolve<INotificationModuleService>(Modules.NOTIFICATION)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const config = container.resolve<ConfigModule>(ContainerRegistrationKeys.CONFIG_MODULE)
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    const request = await desk.retrieveCancellationRequest(input.cancellation_request_id)
    const { data } = await query.graph({ entity: "order", fields: ["id", "display_id", "email"], filters: { id: request.order_id } })
    const order = data[0]
    if (!order?.email) {
      return new StepResponse({ sent: false, reason: "no email" })
    }
    if (!(await hasProvider(notifications, config, "email"))) {
      return new StepResponse({ sent: false, reason: "no email provider" })
    }
    const status = request.status as keyof typeof CANCELLATION_TEMPLATES
    const key = `payment-desk-cancellation-${status}-${request.id}`
    const rows = notifications as unknown as NotificationRows
    const [earlier] = await rows.listNotifications({ idempotency_key: key }, { take: 1 })
    if (earlier && earlier.status !== NotificationStatus.FAILURE) {
      return new StepResponse({ sent: false, reason: "sent before" })
    }
    if (earlier) {
      // Medusa 2.21 resends a failed key under a new id and cannot find it again: start afresh.
      await rows.deleteNotifications([earlier.id])
    }
    try {
      await notifications.createNotifications({
        to: order.email,
        channel: "email",
        template: CANCELLATION_TEMPLATES[status],
        data: {
          cancellation_request_id: request.id,
          order_id: request.order_id,
          order_display_id: order.display_id ?? null,
          status,
          reason: request.reason,
          reason_label: closeReasonLabel(request.reason),
          message: request.answer_message,
        },
        idempotency_key: key,
      })
    } catch (error) {
      logger.error(`medusa-payment-desk: the email for cancellation request ${request.id} failed: ${(error as Error).message}`)
      throw error
    }
    return new StepResponse({ sent: true, reason: null })
  }
  // No compensation: a message that was sent cannot be unsent.
)
