import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../modules/payment-desk"
import { PAYMENT_DESK_JOBS, recordJobRun } from "../utils/jobs/job-runs"
import { fansOutOverWorkers } from "../utils/jobs/fan-out"
import type PaymentDeskModuleService from "../modules/payment-desk/service"
import { dispatchOverdueOrders, sweepOverdueOrders } from "../workflows/closures/sweep-overdue-orders"

/**
 * Every 15 minutes: closes orders paid with a manual method whose payment
 * window has passed with nothing received (actor `system`, reason
 * `payment_timeout`); partly paid ones are flagged once with
 * `payment_desk.payment_overdue` unless `auto_close.close_partially_paid`.
 * The candidates are chosen outside the lock; the close re-checks each under
 * the order's lock (a receipt recorded meanwhile → skipped, not closed), and
 * the lock keeps two instances from closing one order twice. Pages of
 * `auto_close.batch_size` (keyset), `auto_close.concurrency` orders at once.
 * On a store with Medusa's Redis event bus the job hands the orders to the
 * worker fleet instead, in `payment_desk.overdue_orders_found` events that
 * any worker takes (subscribers/overdue-orders-found.ts).
 * One failure is logged and the rest go on; the run reports what it did.
 */
export default async function closeUnpaidOrdersJob(container: MedusaContainer) {
  const startedAt = new Date()
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const options = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().auto_close
  if (!options.enabled) {
    return
  }
  if (fansOutOverWorkers(container)) {
    const dispatched = await dispatchOverdueOrders(container, options)
    if (dispatched.overdue) {
      logger.info(`Unpaid orders: ${dispatched.overdue} overdue handed to the workers in ${dispatched.batches} batches`)
    }
    await recordJobRun(container, config.name, { ...dispatched, fanned_out: true }, startedAt)
    return dispatched
  }
  const report = await sweepOverdueOrders(container, options, logger)
  if (report.overdue) {
    logger.info(
      `Unpaid orders: ${report.closed} closed, ${report.flagged} partly paid flagged, ${report.skipped} skipped, ${report.failed} failed, of ${report.overdue} overdue`
    )
  }
  await recordJobRun(container, config.name, { ...report }, startedAt)
  return report
}

export const config = {
  name: PAYMENT_DESK_JOBS.close_unpaid_orders.name,
  schedule: PAYMENT_DESK_JOBS.close_unpaid_orders.schedule,
}
