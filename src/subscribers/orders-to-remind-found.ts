import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { OrdersToRemindFoundEventData, PaymentDeskEvents } from "../events"
import { remindOrderBatch } from "../workflows/notifications/remind-unpaid-orders"

/** A worker's share of the reminder job on a fleet: reminds a batch of unpaid orders, each at most once. */
export default async function ordersToRemindFoundHandler({ event, container }: SubscriberArgs<OrdersToRemindFoundEventData>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const report = await remindOrderBatch(container, event.data.order_ids, logger)
  if (report.sent || report.failed) {
    logger.info(
      `Payment reminders (a batch of ${event.data.order_ids.length}): ${report.sent} sent, ${report.skipped} skipped, ${report.failed} failed`
    )
  }
}

export const config: SubscriberConfig = { event: PaymentDeskEvents.ORDERS_TO_REMIND_FOUND }
