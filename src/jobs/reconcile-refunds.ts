import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../modules/payment-desk"
import { PAYMENT_DESK_JOBS, recordJobRun } from "../utils/jobs/job-runs"
import type PaymentDeskModuleService from "../modules/payment-desk/service"
import { fansOutOverWorkers } from "../utils/jobs/fan-out"
import { dispatchRefundsToReconcile, reconcilePendingRefunds } from "../workflows/refunds/reconcile-pending-refunds"
import { retryRefundWorkflow } from "../workflows/refunds/retry-refund"
import { finishInterruptedReceipts } from "../workflows/receipts/finish-interrupted-receipts"
import { dispatchStaleBankLines } from "../workflows/bank-statements/book-bank-lines-on-workers"

const BATCH = 100

/**
 * Every 5 minutes: settles refunds still pending past
 * `refunds.reconcileAfterMinutes` by asking their provider (Stripe and the
 * payment module alike; Stripe once per payment, within
 * `refunds.reconcile_budget` calls), and retries refunds the system started
 * that failed and are due again. Each check pushes the row's next look back,
 * so rows that stay pending never hide newer ones. Also finishes receipts a
 * crash left between Medusa's capture and their audit entry (or abandons
 * those that never captured), and hands bank statement lines left `matched`
 * (a booking batch lost with its worker, or never delivered) to the workers
 * again. One failure is logged and the batch goes on.
 * On a store with Medusa's Redis event bus the pending refunds are handed to
 * the worker fleet instead (see reconcileOnFleet below).
 */
export default async function reconcileRefundsJob(container: MedusaContainer) {
  const startedAt = new Date()
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const now = new Date()

  if (fansOutOverWorkers(container)) {
    return reconcileOnFleet(container, logger, now, startedAt)
  }
  const pending = await reconcilePendingRefunds(container, logger, now)
  const due = await desk.listRefundRequests(
    { status: "failed", requested_by_type: "system", next_attempt_at: { $lte: now } },
    { select: ["id"], take: BATCH, order: { next_attempt_at: "ASC" } }
  )

  const receipts = await finishInterruptedReceipts(container, logger, now)
  const bankLines = await pickUpBankLines(container, logger, now)
  const report = { ...pending, ...receipts, ...bankLines, retried: 0 }
  const retries = await retryDueRefunds(container, logger, due)
  report.retried = retries.retried
  report.failed += retries.failed
  logReceiptRecovery(logger, receipts)
  if (report.checked || report.deferred || report.failed || due.length) {
    logger.info(
      `Refund reconciliation: ${report.checked} checked (${report.settled} settled, ${report.resent} re-sent, ${report.canceled} canceled), ${report.retried} retried, ${report.failed} failed; ${report.provider_calls} Stripe calls for ${report.payments_listed} payments, ${report.rate_limited} rate limited, ${report.deferred} left for the next run`
    )
  }
  await recordJobRun(container, config.name, report, startedAt)
  return report
}

/**
 * The job on a fleet (Medusa's Redis event bus): the pending refunds go to
 * the workers as `payment_desk.refunds_to_reconcile_found` batches
 * (subscribers/refunds-to-reconcile-found.ts, each with its share of the
 * Stripe budget); the retries and the receipt recovery, a few rows a run, stay
 * here.
 */
async function reconcileOnFleet(container: MedusaContainer, logger: Logger, now: Date, startedAt: Date) {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const dispatched = await dispatchRefundsToReconcile(container, now)
  const due = await desk.listRefundRequests(
    { status: "failed", requested_by_type: "system", next_attempt_at: { $lte: now } },
    { select: ["id"], take: BATCH, order: { next_attempt_at: "ASC" } }
  )
  const receipts = await finishInterruptedReceipts(container, logger, now)
  const bankLines = await pickUpBankLines(container, logger, now)
  const retries = await retryDueRefunds(container, logger, due)
  logReceiptRecovery(logger, receipts)
  if (dispatched.due || due.length) {
    logger.info(
      `Refund reconciliation: ${dispatched.due} pending refunds handed to the workers in ${dispatched.batches} batches, ${retries.retried} retried, ${retries.failed} failed`
    )
  }
  const report = { ...dispatched, ...receipts, ...bankLines, ...retries, fanned_out: true }
  await recordJobRun(container, config.name, report, startedAt)
  return report
}

/** The scheduled pickup of bank statement lines left `matched`; a failure is logged and the refunds' work goes on. */
async function pickUpBankLines(container: MedusaContainer, logger: Logger, now: Date) {
  try {
    return await dispatchStaleBankLines(container, logger, now)
  } catch (error) {
    logger.error(`Handing out bank statement lines left matched failed: ${(error as Error).message}`)
    return { stale_bank_lines: 0, bank_line_batches: 0, statements_resummed: 0, bank_lines_failed: true }
  }
}

/** Retries refunds the system started that failed and are due again; one failure is logged and the rest go on. */
async function retryDueRefunds(container: MedusaContainer, logger: Logger, due: { id: string }[]) {
  const result = { retried: 0, failed: 0 }
  for (const row of due) {
    try {
      await retryRefundWorkflow(container).run({
        input: { refund_request_id: row.id, actor: { type: "system", id: "refund-retry-job" } },
      })
      result.retried++
    } catch (error) {
      result.failed++
      logger.error(`Retrying refund ${row.id} failed: ${(error as Error).message}`)
    }
  }
  return result
}

function logReceiptRecovery(logger: Logger, receipts: Awaited<ReturnType<typeof finishInterruptedReceipts>>) {
  if (receipts.receipts_finished || receipts.receipts_abandoned || receipts.receipts_failed) {
    logger.info(
      `Receipt recovery: ${receipts.receipts_finished} finished after their capture, ${receipts.receipts_abandoned} abandoned before it, ${receipts.receipts_failed} failed`
    )
  }
}

export const config = {
  name: PAYMENT_DESK_JOBS.reconcile_refunds.name,
  schedule: PAYMENT_DESK_JOBS.reconcile_refunds.schedule,
}
