import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { OverdueOrdersFoundEventData, PaymentDeskEvents } from "../../events"
import type { ResolvedPaymentDeskOptions } from "../../modules/payment-desk/options"
import { findOverdueManualPayments, OverdueCursor, OverdueManualPayment } from "../../utils/closures/overdue-payments"
import { handOutBatches, inBatches } from "../../utils/jobs/fan-out"
import { runConcurrently } from "../../utils/jobs/run-concurrently"
import { closeOrderWorkflow } from "./close-order"
import { flagOverduePaymentWorkflow } from "../receipts/flag-overdue-payment"
import { recordCoreCancellationWorkflow } from "./record-core-cancellation"
import { canceledWithoutClosure } from "../../utils/closures/overdue-payments"

/** The system actor of the auto-close job's closes. */
export const AUTO_CLOSE_ACTOR_ID = "close-unpaid-orders"

/** What one auto-close run did. */
export type SweepReport = { closed: number; flagged: number; skipped: number; failed: number; overdue: number; pages: number }

/** What one auto-close run did when it handed the overdue orders to the workers. */
export type DispatchReport = { overdue: number; pages: number; batches: number }

type AutoClose = ResolvedPaymentDeskOptions["auto_close"]

/** How many orders one `payment_desk.overdue_orders_found` event carries: a few rounds of a worker's concurrency. */
export function overdueBatchSize(options: AutoClose): number {
  return Math.max(1, Math.min(options.batch_size, options.concurrency * 5))
}

/**
 * Closes or flags each candidate, at most `concurrency` at once, adding to
 * `report`. Every close takes its order's lock and re-checks the order under
 * it, so two workers (or two instances) never close one order twice; one
 * that is paid, closed or being worked on meanwhile is skipped. One order's
 * failure is logged and counted; the rest go on.
 */
export async function closeOverdueCandidates(
  container: MedusaContainer,
  candidates: OverdueManualPayment[],
  options: AutoClose,
  logger: Logger,
  report: Pick<SweepReport, "closed" | "flagged" | "skipped" | "failed">
): Promise<void> {
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
          actor: { type: "system", id: AUTO_CLOSE_ACTOR_ID },
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
  await runConcurrently(candidates, options.concurrency, handle)
}

/**
 * Walks the overdue orders a page at a time (keyset on `(created_at, id)`,
 * `batch_size` per page, one query per page for all its reads) and gives
 * each page to `work` before reading the next, so memory holds one page
 * whatever the backlog. Stops after `max_per_run` candidates.
 */
async function eachOverduePage(
  container: MedusaContainer,
  options: AutoClose,
  now: Date,
  work: (page: OverdueManualPayment[]) => Promise<void>
): Promise<{ overdue: number; pages: number }> {
  const walked = { overdue: 0, pages: 0 }
  let after: OverdueCursor | null = null
  while (walked.overdue < options.max_per_run) {
    const limit = Math.min(options.batch_size, options.max_per_run - walked.overdue)
    const page = await findOverdueManualPayments(container, { limit, now, after })
    if (!page.length) {
      break
    }
    walked.pages++
    walked.overdue += page.length
    await work(page)
    const last = page[page.length - 1]
    after = { created_at: last.created_at, order_id: last.order_id }
    if (page.length < limit) {
      break
    }
  }
  return walked
}

/**
 * One auto-close run in this process: every overdue order is closed (or
 * flagged) here, a page at a time, `concurrency` at once. What a store with
 * one process (Medusa's local event bus) runs.
 */
export async function sweepOverdueOrders(
  container: MedusaContainer,
  options: AutoClose,
  logger: Logger,
  now: Date = new Date()
): Promise<SweepReport> {
  const report: SweepReport = { closed: 0, flagged: 0, skipped: 0, failed: 0, overdue: 0, pages: 0 }
  const walked = await eachOverduePage(container, options, now, (page) => closeOverdueCandidates(container, page, options, logger, report))
  return { ...report, ...walked }
}

/**
 * One auto-close run on a fleet: the overdue orders are read here a page at
 * a time and handed to Medusa's workers as `payment_desk.overdue_orders_found`
 * events of {@link overdueBatchSize} orders, through Medusa's event bus
 * (with the Redis event bus, a BullMQ queue every worker instance takes
 * from: each batch goes to one worker, and a batch whose worker dies is
 * taken again by another). The workers close them with
 * {@link closeOverdueOrderBatch}.
 */
export async function dispatchOverdueOrders(
  container: MedusaContainer,
  options: AutoClose,
  now: Date = new Date()
): Promise<DispatchReport> {
  const size = overdueBatchSize(options)
  let batches = 0
  const walked = await eachOverduePage(container, options, now, async (page) => {
    batches += await handOutBatches(
      container,
      PaymentDeskEvents.OVERDUE_ORDERS_FOUND,
      inBatches(
        page.map((candidate) => candidate.order_id),
        size
      ),
      (orderIds): OverdueOrdersFoundEventData => ({ order_ids: orderIds, found_at: now.toISOString() }),
      "payment-desk-overdue"
    )
  })
  return { ...walked, batches }
}

/**
 * A worker's share of a fleet run: re-reads the given orders (those still
 * overdue and open now; a receipt or a close meanwhile drops them) and
 * closes or flags each as {@link closeOverdueCandidates} does. Running a
 * batch twice (a redelivery after a worker died) closes nothing twice.
 */
export async function closeOverdueOrderBatch(
  container: MedusaContainer,
  orderIds: string[],
  options: AutoClose,
  logger: Logger,
  now: Date = new Date()
): Promise<Omit<SweepReport, "pages">> {
  const candidates = await findOverdueManualPayments(container, { limit: orderIds.length, now, order_ids: orderIds })
  const report = { closed: 0, flagged: 0, skipped: orderIds.length - candidates.length, failed: 0, overdue: candidates.length }
  await closeOverdueCandidates(container, candidates, options, logger, report)
  // A batch run again after its worker died may find an order the dead worker's close had already
  // canceled in Medusa but not yet recorded: the batch is the record of that intent, so the close
  // is finished forward (its closure, audit entry and event), never run again.
  const given = new Set(candidates.map((candidate) => candidate.order_id))
  for (const orderId of await canceledWithoutClosure(container, orderIds.filter((id) => !given.has(id)))) {
    const { result } = await recordCoreCancellationWorkflow(container).run({
      input: { order_id: orderId, closed_as: { actor_id: AUTO_CLOSE_ACTOR_ID, reason: "payment_timeout" } },
    })
    if (result.order_closure) {
      report.skipped--
      report.closed++
      logger.warn(`Unpaid order ${orderId}: the close a stopped worker began is now recorded`)
    }
  }
  return report
}
