import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { OverdueOrdersFoundEventData, PaymentDeskEvents } from "../events"
import { PAYMENT_DESK_MODULE } from "../modules/payment-desk"
import type PaymentDeskModuleService from "../modules/payment-desk/service"
import { closeOverdueOrderBatch } from "../workflows/closures/sweep-overdue-orders"

/** A worker's share of the auto-close job on a fleet: closes (or flags) a batch of overdue orders, each under its lock. */
export default async function overdueOrdersFoundHandler({ event, container }: SubscriberArgs<OverdueOrdersFoundEventData>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const options = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().auto_close
  if (!options.enabled) {
    return
  }
  const report = await closeOverdueOrderBatch(container, event.data.order_ids, options, logger)
  logger.info(
    `Unpaid orders (a batch of ${event.data.order_ids.length}): ${report.closed} closed, ${report.flagged} partly paid flagged, ${report.skipped} skipped, ${report.failed} failed`
  )
}

export const config: SubscriberConfig = { event: PaymentDeskEvents.OVERDUE_ORDERS_FOUND }
