import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../modules/payment-desk"
import type PaymentDeskModuleService from "../modules/payment-desk/service"
import { PAYMENT_DESK_JOBS, recordJobRun } from "../utils/jobs/job-runs"
import { findOrdersToRemind, ReminderCursor } from "../utils/notifications/payment-reminders"
import { hasNotificationProvider } from "../utils/notifications/send-once"
import { remindUnpaidOrderWorkflow } from "../workflows/notifications/remind-unpaid-order"

const PAGE = 100

/**
 * Every 30 minutes: emails a payment reminder for each order paid with a
 * manual method whose money is still due and whose pay-by date falls within
 * `emails.reminder_hours_before` hours, once per order. Candidates come page
 * by page (soonest deadline first); each order is checked again before its
 * email. Nothing runs without an email provider. One failure is logged and
 * the run goes on; it reports sent / skipped / failed.
 */
export default async function remindUnpaidOrdersJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const startedAt = new Date()
  const report = { sent: 0, skipped: 0, failed: 0 }
  if (!(await hasNotificationProvider(container, "email"))) {
    // The module's loader warned at boot; there is nothing to send through.
    await recordJobRun(container, config.name, { ...report, no_email_provider: true }, startedAt)
    return report
  }
  const within = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().emails.reminder_hours_before
  const now = new Date()
  let after: ReminderCursor | null = null
  for (;;) {
    const page = await findOrdersToRemind(container, { within_hours: within, limit: PAGE, now, after })
    for (const candidate of page) {
      try {
        const { result } = await remindUnpaidOrderWorkflow(container).run({ input: { order_id: candidate.order_id } })
        if (result.outcome === "sent") report.sent++
        else report.skipped++
      } catch (error) {
        report.failed++
        logger.warn(`Payment reminder for order ${candidate.order_id} failed: ${(error as Error).message}`)
      }
    }
    if (page.length < PAGE) {
      break
    }
    after = page[page.length - 1].cursor
  }
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
