import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { BankLinesToBookFoundEventData, PaymentDeskEvents } from "../../events"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { bankBookingBatches, LineToBook, STALE_BOOKING_MINUTES } from "../../utils/bank-statements/booking-batches"
import { handOutBatches } from "../../utils/jobs/fan-out"
import { oneAtATime } from "../../utils/jobs/run-concurrently"
import type { Actor } from "../shared/steps/resolve-actor"
import { bookBankTransactions } from "./book-bank-transactions"

/** Who books an import's lines and whether its payouts may be booked: what travels with each batch. */
export type BankBookingContext = {
  actor: Actor
  may_record_payouts: boolean
  ip?: string | null
  user_agent?: string | null
}

/** What one worker's batch did. */
export type BankLineBatchReport = { given: number; booked: number; recorded: number; failed: number }

/** What one run of the scheduled pickup handed out, and the imports whose figures it summed up again. */
export type StaleBankLinesReport = { stale_bank_lines: number; bank_line_batches: number; statements_resummed: number }

/** Lines the pickup hands out per run at most, oldest first; the rest go on the next run. */
const PICKUP_LIMIT = 5_000
/** Ids per query when the hand-out reads the lines it cuts into batches. */
const READ_PAGE = 5_000
const LINE_FIELDS = ["id", "bank_statement_id", "line", "updated_at"]

// One batch at a time per process: with Medusa's local event bus every batch
// of an upload starts at once, each booking four orders at once.
const oneBatch = oneAtATime()

/** The given lines that are still `matched`, with what cutting them into batches needs. */
export async function matchedLinesToBook(desk: PaymentDeskModuleService, ids: string[]): Promise<LineToBook[]> {
  const lines: LineToBook[] = []
  for (let start = 0; start < ids.length; start += READ_PAGE) {
    const page = ids.slice(start, start + READ_PAGE)
    lines.push(...((await desk.listBankTransactions({ id: page, status: "matched" }, { select: LINE_FIELDS, take: page.length })) as unknown as LineToBook[]))
  }
  return lines
}

/**
 * Hands lines to the workers as `payment_desk.bank_lines_to_book_found`
 * events through Medusa's event bus ({@link bankBookingBatches}: by import,
 * in file order, 50 a batch), each carrying who books it and whether its
 * payouts may be booked (`contextOf` its import). With the Redis event bus
 * each batch is one BullMQ job any worker takes, its job id a hash of its
 * lines and their stamp (not queued twice while it waits); with the local
 * event bus this process books them, one batch at a time. Returns the number
 * of batches.
 */
export async function handOutBankLines(
  container: MedusaContainer,
  lines: LineToBook[],
  contextOf: (bankStatementId: string) => BankBookingContext,
  now: Date = new Date()
): Promise<number> {
  const batches = bankBookingBatches(lines)
  return handOutBatches(
    container,
    PaymentDeskEvents.BANK_LINES_TO_BOOK_FOUND,
    batches.map((batch) => batch.ids),
    (ids, index): BankLinesToBookFoundEventData => {
      const { actor, may_record_payouts, ip, user_agent } = contextOf(batches[index].bank_statement_id)
      return {
        bank_statement_id: batches[index].bank_statement_id,
        bank_transaction_ids: ids,
        actor: { type: actor.type, id: actor.id ?? null, email: actor.email ?? null },
        may_record_payouts,
        ip: ip ?? null,
        user_agent: user_agent ?? null,
        found_at: now.toISOString(),
      }
    },
    "payment-desk-book-bank-lines",
    (_ids, index) => batches[index].key
  )
}

/**
 * A worker's batch: claims the lines still `matched` (stamping them, so the
 * pickup leaves them alone while they are booked; a read that fails throws
 * here, before any money moves), books them with
 * {@link bookBankTransactions} — the upload's own code: each line under its
 * order's lock, one receipt per line ever, compare-and-set marks, a line that
 * cannot be booked to review with why — then sums up the import again. A
 * batch delivered twice books nothing twice: its booked lines are no longer
 * `matched`, and a line booked but not marked is only marked.
 */
export async function bookBankLineBatch(container: MedusaContainer, batch: BankLinesToBookFoundEventData): Promise<BankLineBatchReport> {
  return oneBatch(async () => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const claimed = new Set(await desk.stampBankTransactionsForBooking(batch.bank_transaction_ids))
    const ids = batch.bank_transaction_ids.filter((id) => claimed.has(id))
    const result = ids.length
      ? await bookBankTransactions(container, {
          bank_transaction_ids: ids,
          actor: batch.actor,
          may_record_payouts: batch.may_record_payouts === true,
          ip: batch.ip,
          user_agent: batch.user_agent,
        })
      : { recorded: [], failed: [] }
    await desk.summarizeBankStatement({ id: batch.bank_statement_id })
    return { given: batch.bank_transaction_ids.length, booked: ids.length, recorded: result.recorded.length, failed: result.failed.length }
  })
}

/**
 * The scheduled pickup (run by the reconciliation job): lines `matched` and
 * untouched for over {@link STALE_BOOKING_MINUTES} minutes — a batch whose
 * worker died, an event never delivered, a mark that failed after its
 * receipt, a person's confirmation cut off — are handed out again, oldest
 * first, up to 5,000 a run, each with its import's uploader as the actor and
 * payouts booked only when the uploader held the refund permission
 * (`book_payouts`). A batch still waiting in the queue is not queued twice.
 * An import still shown as being booked long after its last change (the
 * summary of its last batch failed) is summed up again.
 */
export async function dispatchStaleBankLines(container: MedusaContainer, logger: Logger, now: Date = new Date()): Promise<StaleBankLinesReport> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const cutoff = new Date(now.getTime() - STALE_BOOKING_MINUTES * 60_000)
  const unsummed = await desk.listBankStatements({ booking: { $gt: 0 }, updated_at: { $lt: cutoff } }, { select: ["id"], take: 100 })
  for (const statement of unsummed) {
    await desk.summarizeBankStatement({ id: statement.id })
  }
  const lines = (await desk.listBankTransactions(
    { status: "matched", updated_at: { $lt: cutoff } },
    { select: LINE_FIELDS, take: PICKUP_LIMIT, order: { updated_at: "ASC" } }
  )) as unknown as LineToBook[]
  if (!lines.length) {
    return { stale_bank_lines: 0, bank_line_batches: 0, statements_resummed: unsummed.length }
  }
  const statements = await desk.listBankStatements(
    { id: [...new Set(lines.map((line) => line.bank_statement_id))] },
    { select: ["id", "imported_by_type", "imported_by_id", "imported_by_email", "book_payouts"] }
  )
  const contexts = new Map<string, BankBookingContext>(
    statements.map((statement) => [
      statement.id,
      {
        actor: { type: statement.imported_by_type, id: statement.imported_by_id, email: statement.imported_by_email },
        may_record_payouts: statement.book_payouts === true,
      },
    ])
  )
  const batches = await handOutBankLines(
    container,
    lines,
    // A line of an import that is gone books as the system, and no payout.
    (id) => contexts.get(id) ?? { actor: { type: "system", id: "bank-booking-pickup" }, may_record_payouts: false },
    now
  )
  logger.info(`Bank statement lines: ${lines.length} left matched for over ${STALE_BOOKING_MINUTES} minutes handed to the workers in ${batches} batches`)
  return { stale_bank_lines: lines.length, bank_line_batches: batches, statements_resummed: unsummed.length }
}
