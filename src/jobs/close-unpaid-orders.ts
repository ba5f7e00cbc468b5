import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../modules/payment-desk"
import { PAYMENT_DESK_JOBS, recordJobRun } from "../utils/jobs/job-runs"
import type PaymentDeskModuleService from "../modules/payment-desk/service"
import { findOverdueManualPayments } from "../utils/closures/overdue-payments"
import { closeOrderWorkflow } from "../workflows/close-order"
import { flagOverduePaymentWorkflow } from "../workflows/flag-overdue-payment"

/**
 * Every 15 minutes: closes orders paid with a manual method whose payment
 * window has passed with nothing received (actor `system`, reason
 * `payment_timeout`); partly paid ones are flagged once with
 * `payment_desk.payment_overdue` unless `auto_close.close_partially_paid`.
 * The candidates are chosen outside the lock; the close re-checks each under
 * the order's lock (a receipt recorded meanwhile → skipped, not closed), and
 * the lock keeps two instances from closing one order twice. One failure is
 * logged and the batch goes on; the run reports closed / skipped / failed.
 */
export default async function closeUnpaidOrdersJob(container: MedusaContainer) {
  const startedAt = new Date()
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const options = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().auto_close
  if (!options.enabled) {
    return
  }
  const overdue = await findOverdueManualPayments(container, { limit: options.batch_size })
  let closed = 0
  let flagged = 0
  let skipped = 0
  let failed = 0
  for (const candidate of overdue) {
    try {
      if (candidate.captured > 0 && !options.close_partially_paid) {
        const { result } = await flagOverduePaymentWorkflow(container).run({ input: candidate })
        flagged += result.flagged ? 1 : 0
        continue
      }
      await closeOrderWorkflow(container).run({
        input: {
          order_id: candidate.order_id,
          actor: { type: "system", id: "close-unpaid-orders" },
          reason: "payment_timeout",
          expect_overdue: { close_partially_paid: options.close_partially_paid },
        },
      })
      closed++
    } catch (error) {
      const e = error as MedusaError
      if (e?.type === MedusaError.Types.NOT_ALLOWED || e?.type === MedusaError.Types.CONFLICT) {
        // Paid, closed or being worked on meanwhile: not this run's to close.
        skipped++
        logger.info(`Unpaid order ${candidate.order_id} skipped: ${e.message}`)
        continue
      }
      failed++
      logger.warn(`Closing unpaid order ${candidate.order_id} failed: ${e?.message ?? String(error)}`)
    }
  }
  if (overdue.length) {
    logger.info(
      `Unpaid orders: ${closed} closed, ${flagged} partly paid flagged, ${skipped} skipped, ${failed} failed, of ${overdue.length} overdue`
    )
  }
  const report = { overdue: overdue.length, closed, flagged, skipped, failed }
  await recordJobRun(container, config.name, report, startedAt)
  return { closed, flagged, skipped, failed }
}

export const config = {
  name: PAYMENT_DESK_JOBS.close_unpaid_orders.name,
  schedule: PAYMENT_DESK_JOBS.close_unpaid_orders.schedule,
}
