import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { PaymentDeskEvents, RefundsToReconcileFoundEventData } from "../../events"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { budgetShares } from "../../utils/jobs/budget-shares"
import { groupedBy, handOutBatches, inBatches } from "../../utils/jobs/fan-out"
import { runConcurrently } from "../../utils/jobs/run-concurrently"
import type { ProviderListing } from "../../utils/refunds/gateways"
import { listStripeRefunds, paymentIntentsOf, StripeListIncomplete } from "../../utils/refunds/gateways/stripe"
import { isStripeProvider } from "../../utils/stripe/client"
import { recordStillPendingRefunds } from "../../utils/refunds/still-pending"
import { reconcileRefundWorkflow } from "./reconcile-refund"

/** What one reconciliation pass over the pending refunds did. */
export type ReconcileReport = {
  checked: number
  settled: number
  resent: number
  canceled: number
  failed: number
  /** Stripe `refunds.list` requests made (pages and 429 retries included). */
  provider_calls: number
  /** 429 answers from Stripe (each retried after its Retry-After, or given up on for this run). */
  rate_limited: number
  /** Payments whose refunds were listed. */
  payments_listed: number
  /** Rows left for the next run (budget spent or Stripe still rate limiting); they come first next time. */
  deferred: number
  /** Seconds the most overdue row left unchecked by this run had been due (0 when none). */
  oldest_unchecked_age_s: number
}

/**
 * Checks refunds still pending at their provider, most overdue first: the
 * due rows are grouped by payment, and Stripe is asked once per payment
 * (`refunds.list({ payment_intent })`, paged) for all its rows, within
 * `refunds.reconcile_budget` Stripe calls per run; a 429 waits for Stripe's
 * Retry-After (bounded) and, if Stripe keeps refusing, the rest waits for the
 * next run. Rows the provider still reports as they are get their next look
 * in one write (`recordStillPendingRefunds`); each other row is settled by
 * `reconcileRefundWorkflow` under its order's lock (which re-reads the row there and asks Stripe itself when the
 * listing predates the row's dispatch). Checked rows move their next look
 * back; unchecked ones keep theirs and come first next run, so none starves.
 */
export async function reconcilePendingRefunds(
  container: MedusaContainer,
  logger: Logger,
  now: Date = new Date()
): Promise<ReconcileReport> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const { reconcile_budget: budget, reconcile_batch: batch } = desk.getOptions().refunds
  const rows = await dueRefundRows(desk, now, batch)
  const report = await reconcileRefundRows(container, logger, rows, budget, now)
  if (!report.oldest_unchecked_age_s && rows.length === batch) {
    // More rows were due than one run reads: the first beyond the batch is the oldest left.
    const [next] = await desk.listRefundRequests(
      { status: ["pending", "requires_action"], next_attempt_at: { $lte: now }, id: { $nin: rows.map((row) => row.id) } },
      { select: ["id", "next_attempt_at"], take: 1, order: { next_attempt_at: "ASC" } }
    )
    if (next?.next_attempt_at) {
      report.oldest_unchecked_age_s = Math.max(0, Math.round((now.getTime() - new Date(next.next_attempt_at).getTime()) / 1000))
    }
  }
  return report
}

/** A ledger row as reconciliation reads it. */
type DueRow = { id: string; order_id: string; payment_id: string; provider_id: string; next_attempt_at: Date | null }

const DUE_FIELDS = ["id", "order_id", "payment_id", "provider_id", "next_attempt_at"]

/** The pending rows whose next look is due, most overdue first (at most `take`; only `ids` when given). */
async function dueRefundRows(desk: PaymentDeskModuleService, now: Date, take: number, ids?: string[]): Promise<DueRow[]> {
  return (await desk.listRefundRequests(
    { status: ["pending", "requires_action"], next_attempt_at: { $lte: now }, ...(ids ? { id: ids } : {}) },
    { select: DUE_FIELDS, take, order: { next_attempt_at: "ASC" } }
  )) as unknown as DueRow[]
}

/**
 * A worker's share of a fleet reconciliation run: re-reads the given rows
 * (those still pending and due now; a row another delivery of this batch, a
 * webhook or a later run has looked at meanwhile is no longer due and is
 * left alone) and checks them as {@link reconcilePendingRefunds} does, with
 * at most `budget` Stripe calls (the batch's share of
 * `refunds.reconcile_budget`). Running a batch twice moves no money twice:
 * each row is settled under its order's lock from the state it is in.
 */
export async function reconcileRefundBatch(
  container: MedusaContainer,
  logger: Logger,
  refundRequestIds: string[],
  budget: number,
  now: Date = new Date()
): Promise<ReconcileReport> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const rows = await dueRefundRows(desk, now, refundRequestIds.length, refundRequestIds)
  return reconcileRefundRows(container, logger, rows, budget, now)
}

/** Payments (with their rows) per `payment_desk.refunds_to_reconcile_found` event. */
export const RECONCILE_PAYMENTS_PER_BATCH = 25

/** What a fleet reconciliation run handed out. */
export type ReconcileDispatchReport = { due: number; batches: number }

/**
 * One reconciliation run on a fleet: the due rows (at most
 * `refunds.reconcile_batch`, most overdue first, as a run in one process
 * reads them) are grouped by payment, so that Stripe is still asked once per
 * payment, and handed to Medusa's workers as
 * `payment_desk.refunds_to_reconcile_found` events of
 * {@link RECONCILE_PAYMENTS_PER_BATCH} payments through Medusa's event bus.
 * Each batch carries its share of `refunds.reconcile_budget` (in proportion
 * to its Stripe payments; the shares add up to the budget), so a run on the
 * fleet asks Stripe no more than one in one process. A batch still waiting in
 * the queue is not queued twice (its BullMQ job id is a hash of its rows).
 */
export async function dispatchRefundsToReconcile(container: MedusaContainer, now: Date = new Date()): Promise<ReconcileDispatchReport> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const { reconcile_budget: budget, reconcile_batch: batch } = desk.getOptions().refunds
  const rows = await dueRefundRows(desk, now, batch)
  const batches = inBatches([...groupedBy(rows, (row) => row.payment_id).values()], RECONCILE_PAYMENTS_PER_BATCH)
  // Shares in proportion to each batch's Stripe payments; what rounding leaves goes to the first (most overdue) batches.
  const shares = budgetShares(
    budget,
    batches.map((batchPayments) => batchPayments.filter((group) => isStripeProvider(group[0].provider_id)).length)
  )
  const handedOut = await handOutBatches(
    container,
    PaymentDeskEvents.REFUNDS_TO_RECONCILE_FOUND,
    batches.map((batchPayments) => batchPayments.flat().map((row) => row.id)),
    (ids, i): RefundsToReconcileFoundEventData => ({ refund_request_ids: ids, stripe_budget: shares[i], found_at: now.toISOString() }),
    "payment-desk-reconcile"
  )
  return { due: rows.length, batches: handedOut }
}

/**
 * Checks the given rows at their provider (see {@link reconcilePendingRefunds}),
 * within `budget` Stripe calls.
 */
async function reconcileRefundRows(
  container: MedusaContainer,
  logger: Logger,
  rows: DueRow[],
  budget: number,
  now: Date
): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    checked: 0,
    settled: 0,
    resent: 0,
    canceled: 0,
    failed: 0,
    provider_calls: 0,
    rate_limited: 0,
    payments_listed: 0,
    deferred: 0,
    oldest_unchecked_age_s: 0,
  }
  // Payments in the order of their most overdue row.
  const groups = groupedBy(rows, (row) => row.payment_id)
  const stripePayments = [...groups.entries()].filter(([, group]) => isStripeProvider(group[0].provider_id)).map(([id]) => id)
  const intents = await paymentIntentsOf(container, stripePayments)

  const work: { order_id: string; rows: typeof rows; listing: ProviderListing | null }[] = []
  let stopped = false
  const unchecked: Date[] = []
  for (const [paymentId, group] of groups) {
    if (!isStripeProvider(group[0].provider_id)) {
      work.push({ order_id: group[0].order_id, rows: group, listing: null })
      continue
    }
    if (stopped) {
      report.deferred += group.length
      unchecked.push(...group.map((row) => row.next_attempt_at as Date))
      continue
    }
    try {
      const listing = await listStripeRefunds(container, intents.get(paymentId) ?? "", {
        beforeCall: () => (report.provider_calls < budget ? (report.provider_calls++, true) : false),
        onRateLimited: () => report.rate_limited++,
      })
      report.payments_listed++
      work.push({ order_id: group[0].order_id, rows: group, listing })
    } catch (error) {
      if (error instanceof StripeListIncomplete) {
        stopped = true
        report.deferred += group.length
        unchecked.push(...group.map((row) => row.next_attempt_at as Date))
        logger.warn(`Refund reconciliation stops asking Stripe for this run (${error.reason}); ${group.length}+ rows wait for the next run`)
        continue
      }
      report.failed += group.length
      unchecked.push(...group.map((row) => row.next_attempt_at as Date))
      logger.error(`Listing Stripe refunds of payment ${paymentId} failed: ${(error as Error).message}`)
    }
  }

  // Rows the provider still reports as they are: their look written at once,
  // without a workflow each. Should that fail, every row takes the workflow.
  const quick = await recordStillPendingRefunds(container, work, now).catch((error: Error) => {
    logger.warn(`Refund reconciliation checks every row one by one: writing the still-pending rows at once failed (${error.message})`)
    return new Set<string>()
  })
  report.checked += quick.size

  // Different orders at once; one order's rows one after another (they share its lock).
  const byOrder = groupedBy(work, (item) => item.order_id)
  const rowsOf = (items: typeof work) =>
    items.flatMap(({ rows: group, listing }) => group.filter((row) => !quick.has(row.id)).map((row) => ({ row, listing })))
  await runConcurrently([...byOrder.values()], 4, async (items) => {
    for (const { row, listing } of rowsOf(items)) {
      try {
        const { result } = await reconcileRefundWorkflow(container).run({ input: { refund_request_id: row.id, listing } })
        report.checked++
        if (result.action === "settle") report.settled++
        if (result.action === "resend") report.resent++
        if (result.action === "canceled") report.canceled++
      } catch (error) {
        report.failed++
        unchecked.push(row.next_attempt_at as Date)
        logger.error(`Reconciling refund ${row.id} failed: ${(error as Error).message}`)
      }
    }
  })
  if (unchecked.length) {
    const oldest = Math.min(...unchecked.map((at) => new Date(at).getTime()))
    report.oldest_unchecked_age_s = Math.max(0, Math.round((now.getTime() - oldest) / 1000))
  }
  return report
}
