import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../modules/payment-desk"
import type PaymentDeskModuleService from "../modules/payment-desk/service"
import { fansOutOverWorkers } from "../utils/jobs/fan-out"
import { PAYMENT_DESK_JOBS, recordJobRun } from "../utils/jobs/job-runs"
import { hasNotificationProvider } from "../utils/notifications/send-once"
import { dispatchOrdersToRemind, remindOrdersDue } from "../workflows/notifications/remind-unpaid-orders"

/**
 * Every 30 minutes: emails a payment reminder for each order paid with a
 * manual method whose money is still due and whose pay-by date falls within
 * `emails.reminder_hours_before` hours, once per order. Candidates come page
 * by page (soonest deadline first); each order is checked again before its
 * email. Nothing runs without an email provider. One failure is logged and
 * the run goes on; it reports sent / skipped / failed.
 * On a store with Medusa's Redis event bus the job hands the orders to the
 * worker fleet instead, in `payment_desk.orders_to_remind_found` events that
 * any worker takes (subscribers/orders-to-remind-found.ts), and reports
 * what it handed out.
 */
export default async function remindUnpaidOrdersJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const startedAt = new Date()
  if (!(await hasNotificationProvider(container, "email"))) {
    // The module's loader warned at boot; there is nothing to send through.
    const report = { sent: 0, skipped: 0, failed: 0 }
    await recordJobRun(container, config.name, { ...report, no_email_provider: true }, startedAt)
    return report
  }
  const within = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().emails.reminder_hours_before
  if (fansOutOverWorkers(container)) {
    const dispatched = await dispatchOrdersToRemind(container, within)
    if (dispatched.due) {
      logger.info(`Payment reminders: ${dispatched.due} orders handed to the workers in ${dispatched.batches} batches`)
    }
    await recordJobRun(container, config.name, { ...dispatched, fanned_out: true }, startedAt)
    return dispatched
  }
  const report = await remindOrdersDue(container, within, logger)
  if (report.sent || report.failed) {
    logger.info(`Payment reminders: ${report.sent} sent, ${report.skipped} skipped, ${report.failed} failed`)
  }
  await recordJobRun(container, config.name, report, startedAt)
  return report
}

export const config = {
  name: PAYMENT_DESK_JOBS.remind_unpaid_orders.name,
  schedule: PAYMENT_DESK_JOBS.remind_unpaid_orders.schedule,
}
