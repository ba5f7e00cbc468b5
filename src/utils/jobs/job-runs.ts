import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { jobSchedule } from "./schedule"

/** A scheduled job of the plugin as the settings page lists it. */
export type PaymentDeskJob = {
  /** The job's `config.name`, also the name its runs are recorded under. */
  name: string
  /** Cron expression or `{ interval }` in milliseconds. */
  schedule: string | { interval: number }
  /** What a run does, in a few words. */
  description: string
}

/**
 * The plugin's scheduled jobs; each job's `config` reads its name and
 * schedule from here, so the settings page shows what really runs. A new job
 * adds itself here and calls `recordJobRun` at the end of each run.
 */
export const PAYMENT_DESK_JOBS = {
  close_unpaid_orders: {
    name: "payment-desk-close-unpaid-orders",
    // Every 15 minutes by default; the deploy may set a cron expression, or a number
    // of milliseconds, in PAYMENT_DESK_AUTO_CLOSE_SCHEDULE.
    schedule: jobSchedule(process.env.PAYMENT_DESK_AUTO_CLOSE_SCHEDULE, "*/15 * * * *"),
    description: "Closes orders left unpaid past their payment window; flags partly paid ones",
  },
  reconcile_refunds: {
    name: "payment-desk-reconcile-refunds",
    // Every 5 minutes by default; the deploy may set a cron expression, or a number
    // of milliseconds, in PAYMENT_DESK_RECONCILE_SCHEDULE.
    schedule: jobSchedule(process.env.PAYMENT_DESK_RECONCILE_SCHEDULE, "*/5 * * * *"),
    description:
      "Settles refunds still pending at their provider; retries failed system refunds; finishes receipts a crash interrupted; hands out bank statement lines left unbooked",
  },
  remind_unpaid_orders: {
    name: "payment-desk-remind-unpaid-orders",
    // Every 30 minutes by default; the deploy may set a cron expression, or a number
    // of milliseconds, in PAYMENT_DESK_REMINDER_SCHEDULE.
    schedule: jobSchedule(process.env.PAYMENT_DESK_REMINDER_SCHEDULE, "*/30 * * * *"),
    description: "Emails a payment reminder before an unpaid order's pay-by date, once per order",
  },
} satisfies Record<string, PaymentDeskJob>

/**
 * Records that a job ran (`report`: what it did, e.g. `{ closed, skipped,
 * failed }`) for the settings page. Never throws: a job's work is not undone
 * because its record could not be written.
 */
export async function recordJobRun(
  container: MedusaContainer,
  name: string,
  report: Record<string, unknown> | null,
  startedAt: Date = new Date()
): Promise<void> {
  try {
    await container
      .resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
      .recordJobRun({ name, started_at: startedAt, finished_at: new Date(), report })
  } catch (error) {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(`Could not record the run of job ${name}: ${(error as Error)?.message ?? String(error)}`)
  }
}
