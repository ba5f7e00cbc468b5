import { ContainerRegistrationKeys, Modules, NotificationStatus } from "@medusajs/framework/utils"
import type { ConfigModule, CreateNotificationDTO, INotificationModuleService, MedusaContainer } from "@medusajs/framework/types"
import { channelConfigured } from "../../modules/payment-desk/notification-providers"

/** The Notification Module's provider registry, the lookup `createNotifications` routes by (not in its public interface). */
type ProviderRegistry = { getProviderForChannels(channel: string): Promise<{ is_enabled?: boolean } | undefined> }

/** The generated row methods of the Notification Module that its typed interface leaves out. */
type NotificationRows = {
  listNotifications(filters: { idempotency_key: string }, config: { take: number }): Promise<{ id: string; status: string }[]>
  deleteNotifications(ids: string[]): Promise<void>
}

/** A notification that carries the idempotency key it is sent once under. */
export type OnceNotification = CreateNotificationDTO & { idempotency_key: string }

/**
 * What became of one message: `sent` now, `duplicate` (an earlier run sent it
 * or is sending it under the same key), or `no_provider` (no enabled provider
 * serves its channel, so nothing was attempted).
 */
export type SendOnceOutcome = "sent" | "duplicate" | "no_provider"

/** Whether the Notification Module has an enabled provider for `channel`; the store's config decides if its registry is out of reach. */
export async function hasNotificationProvider(container: MedusaContainer, channel: string): Promise<boolean> {
  const notifications = container.resolve<INotificationModuleService>(Modules.NOTIFICATION)
  const registry = (notifications as unknown as { notificationProviderService_?: Partial<ProviderRegistry> })
    .notificationProviderService_
  if (typeof registry?.getProviderForChannels === "function") {
    return Boolean((await registry.getProviderForChannels(channel))?.is_enabled)
  }
  return channelConfigured(container.resolve<ConfigModule>(ContainerRegistrationKeys.CONFIG_MODULE), channel)
}

/**
 * Sends a notification once per idempotency key through Medusa's
 * Notification Module: skipped when no provider serves its channel (the
 * module's loader warns about that at boot), skipped when a row with the key
 * was sent or is being sent, and sent afresh when the earlier send failed. A
 * provider error is thrown, so the calling step's retries send it again.
 */
export async function sendNotificationOnce(
  container: MedusaContainer,
  notification: OnceNotification
): Promise<SendOnceOutcome> {
  if (!(await hasNotificationProvider(container, notification.channel))) {
    return "no_provider"
  }
  const notifications = container.resolve<INotificationModuleService>(Modules.NOTIFICATION)
  const rows = notifications as unknown as NotificationRows
  // One sender per key at a time (Medusa's locking, across instances with Redis): a second
  // sender of the same message (a redelivered event, a retried step) waits, then finds it
  // sent, where both would otherwise create it and Medusa would log the loser's clash as an error.
  return container.resolve(Modules.LOCKING).execute(
    `payment-desk:notification:${notification.idempotency_key}`,
    async (): Promise<SendOnceOutcome> => {
      const [earlier] = await rows.listNotifications({ idempotency_key: notification.idempotency_key }, { take: 1 })
      if (earlier && earlier.status !== NotificationStatus.FAILURE) {
        return "duplicate"
      }
      if (earlier) {
        // Medusa 2.21 resends a failed key under a new id and then cannot find that row to update,
        // so it would send again on every retry: drop the failed row and let it start afresh.
        await rows.deleteNotifications([earlier.id])
      }
      await notifications.createNotifications(notification)
      return "sent"
    },
    { timeout: 30 }
  )
}
