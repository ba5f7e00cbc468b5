import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { ResolvedPaymentDeskOptions } from "../../modules/payment-desk/options"
import { findOverdueManualPayments, OverdueCursor, OverdueManualPayment } from "../../utils/closures/overdue-payments"
import { runConcurrently } from "../../utils/jobs/run-concurrently"
import { closeOrderWorkflow } from "./close-order"
import { flagOverduePaymentWorkflow } from "../receipts/flag-overdue-payment"

/** What one auto-close run did. */
export type SweepReport = { closed: number; flagged: number; skipped: number; failed: number; overdue: number; pages: number }

/**
 * One auto-close run: reads the overdue orders a page at a time (keyset on
 * `(created_at, id)`, `batch_size` per page, one query per page for all its
 * reads), and closes or flags each page's orders with at most `concurrency`
 * at once. Every close still takes its order's lock and re-checks the order
 * under it, so two workers (or two instances) never close one order twice.
 * A page's orders finish before the next page is read, so memory holds one
 * page whatever the backlog. One order's failure is logged and counted; the
 * rest go on. Stops after `max_per_run` candidates.
 */
export async function sweepOverdueOrders(
  container: MedusaContainer,
  options: ResolvedPaymentDeskOptions["auto_close"],
  logger: Logger,
  now: Date = new Date()
): Promise<SweepReport> {
  const report: SweepReport = { closed: 0, flagged: 0, skipped: 0, failed: 0, overdue: 0, pages: 0 }
  const handle = async (candidate: OverdueManualPayment) => {
    try {
      if (candidate.captured > 0 && !options.close_partially_paid) {
        const { result } = await flagOverduePaymentWorkflow(container).run({ input: candidate })
        report.flagged += result.flagged ? 1 : 0
        return
      }
      await closeOrderWorkflow(container).run({
        input: {
          order_id: candidate.order_id,
          actor: { type: "system", id: "close-unpaid-orders" },
          reason: "payment_timeout",
          expect_overdue: { close_partially_paid: options.close_partially_paid },
        },
      })
      report.closed++
    } catch (error) {
      const e = error as MedusaError
      if (e?.type === MedusaError.Types.NOT_ALLOWED || e?.type === MedusaError.Types.CONFLICT) {
        // Paid, closed or being worked on meanwhile: not this run's to close.
        report.skipped++
        logger.info(`Unpaid order ${candidate.order_id} skipped: ${e.message}`)
        return
      }
      report.failed++
      logger.warn(`Closing unpaid order ${candidate.order_id} failed: ${e?.message ?? String(error)}`)
    }
  }

  let after: OverdueCursor | null = null
  while (report.overdue < options.max_per_run) {
    const limit = Math.min(options.batch_size, options.max_per_run - report.overdue)
    const page = await findOverdueManualPayments(container, { limit, now, after })
    if (!page.length) {
      break
    }
    report.pages++
    report.overdue += page.length
    await runConcurrently(page, options.concurrency, handle)
    const last = page[page.length - 1]
    after = { created_at: last.created_at, order_id: last.order_id }
    if (page.length < limit) {
      break
    }
  }
  return report
}
