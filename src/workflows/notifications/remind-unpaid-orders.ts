import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { OrdersToRemindFoundEventData, PaymentDeskEvents } from "../../events"
import { handOutBatches, inBatches } from "../../utils/jobs/fan-out"
import { findOrdersToRemind, ReminderCandidate, ReminderCursor } from "../../utils/notifications/payment-reminders"
import { remindUnpaidOrderWorkflow } from "./remind-unpaid-order"

/** Candidates read per query. */
const PAGE = 100
/** Orders per `payment_desk.orders_to_remind_found` event: small enough that a fleet's workers share a page. */
export const REMINDER_BATCH = 25

/** What a reminder run (or one worker's batch) did. */
export type ReminderReport = { sent: number; skipped: number; failed: number }

/** What a fleet reminder run handed out. */
export type ReminderDispatchReport = { due: number; batches: number }

/** Walks the orders to remind, a keyset page at a time (soonest deadline first), until none is left. */
async function eachReminderPage(
  container: MedusaContainer,
  withinHours: number,
  now: Date,
  onPage: (page: ReminderCandidate[]) => Promise<void>
): Promise<number> {
  let after: ReminderCursor | null = null
  let due = 0
  for (;;) {
    const page = await findOrdersToRemind(container, { within_hours: withinHours, limit: PAGE, now, after })
    due += page.length
    if (page.length) {
      await onPage(page)
    }
    if (page.length < PAGE) {
      return due
    }
    after = page[page.length - 1].cursor
  }
}

/**
 * Reminds each of the given orders with {@link remindUnpaidOrderWorkflow},
 * which checks the order again (still unpaid, open, within the window) and
 * sends at most one reminder per order, ever: a batch run twice (a
 * redelivery after its worker died) sends nothing twice. One failure is
 * logged and the batch goes on.
 */
export async function remindOrderBatch(container: MedusaContainer, orderIds: string[], logger: Logger): Promise<ReminderReport> {
  const report: ReminderReport = { sent: 0, skipped: 0, failed: 0 }
  for (const orderId of orderIds) {
    try {
      const { result } = await remindUnpaidOrderWorkflow(container).run({ input: { order_id: orderId } })
      if (result.outcome === "sent") report.sent++
      else report.skipped++
    } catch (error) {
      report.failed++
      logger.warn(`Payment reminder for order ${orderId} failed: ${(error as Error).message}`)
    }
  }
  return report
}

/** One reminder run in this process: every page's orders reminded here. */
export async function remindOrdersDue(
  container: MedusaContainer,
  withinHours: number,
  logger: Logger,
  now: Date = new Date()
): Promise<ReminderReport> {
  const report: ReminderReport = { sent: 0, skipped: 0, failed: 0 }
  await eachReminderPage(container, withinHours, now, async (page) => {
    const done = await remindOrderBatch(
      container,
      page.map((candidate) => candidate.order_id),
      logger
    )
    report.sent += done.sent
    report.skipped += done.skipped
    report.failed += done.failed
  })
  return report
}

/**
 * One reminder run on a fleet: the orders to remind are read here a page at
 * a time and handed to Medusa's workers as `payment_desk.orders_to_remind_found`
 * events of {@link REMINDER_BATCH} orders through Medusa's event bus (with
 * the Redis event bus, a BullMQ queue every worker takes from; a batch whose
 * worker dies is taken again by another). The workers remind them with
 * {@link remindOrderBatch}. A batch still waiting in the queue when the next
 * run finds the same orders is not queued twice (its BullMQ job id is a hash
 * of its orders). `batchSize` (default {@link REMINDER_BATCH}) is how many
 * orders one event carries.
 */
export async function dispatchOrdersToRemind(
  container: MedusaContainer,
  withinHours: number,
  now: Date = new Date(),
  batchSize: number = REMINDER_BATCH
): Promise<ReminderDispatchReport> {
  let batches = 0
  const due = await eachReminderPage(container, withinHours, now, async (page) => {
    batches += await handOutBatches(
      container,
      PaymentDeskEvents.ORDERS_TO_REMIND_FOUND,
      inBatches(
        page.map((candidate) => candidate.order_id),
        batchSize
      ),
      (orderIds): OrdersToRemindFoundEventData => ({ order_ids: orderIds, found_at: now.toISOString() }),
      "payment-desk-remind"
    )
  })
  return { due, batches }
}
