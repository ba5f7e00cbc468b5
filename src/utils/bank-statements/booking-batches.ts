import { groupedBy, inBatches } from "../jobs/fan-out"

/**
 * Lines per `payment_desk.bank_lines_to_book_found` event. A line books in
 * 45–68 ms of a worker's thread (docs/performance.md), four orders at once:
 * a batch of 50 is ~3 s of one worker, far inside the event bus's 30 s
 * BullMQ lock, so a batch whose worker died repeats little; a month's 10,000
 * lines are 200 batches that every worker of the fleet takes from, and the
 * per-batch work (one claim, one page read, one summary) stays under 2%.
 */
export const BANK_BOOKING_BATCH = 50

/** Minutes a line may stay `matched` untouched before the scheduled pickup hands it out again. */
export const STALE_BOOKING_MINUTES = 10

/** A line to book as the hand-out reads it: its import, its place in the file, and when it was last touched. */
export type LineToBook = { id: string; bank_statement_id: string; line: number; updated_at: Date | string }

/** One batch to hand out: the import its lines belong to, the lines in file order, and the key its job id hashes. */
export type BookingBatch = { bank_statement_id: string; ids: string[]; key: string }

/** Whether an import books its `count` lines in the upload itself (at most `limit`) or hands them to the workers. */
export function booksInline(count: number, limit: number): boolean {
  return count <= limit
}

/**
 * The batches a set of lines goes out in: by import, each import's lines in
 * file order (line, then id), cut into batches of `size`. The upload and the
 * scheduled pickup cut the same lines the same way, and whole batches leave
 * `matched` together, so a batch still waiting in the queue gets the same
 * key from the pickup: its job id is the same and it is not queued twice.
 * The key holds the lines' latest `updated_at`, which a worker's claim moves:
 * a batch whose worker died goes out again under a new job id.
 */
export function bankBookingBatches(lines: LineToBook[], size: number = BANK_BOOKING_BATCH): BookingBatch[] {
  const byStatement = groupedBy(
    [...lines].sort((a, b) => a.line - b.line || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    (line) => line.bank_statement_id
  )
  const batches: BookingBatch[] = []
  for (const [statementId, statementLines] of [...byStatement.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const batch of inBatches(statementLines, size)) {
      const stamp = Math.max(...batch.map((line) => new Date(line.updated_at).getTime()))
      const ids = batch.map((line) => line.id)
      batches.push({ bank_statement_id: statementId, ids, key: `${ids.join(",")}@${stamp}` })
    }
  }
  return batches
}

/** Where the booking of an import stands, for its API answer. */
export type BookingProgress = {
  /** Lines the import handed to the workers (0: it booked in the upload). */
  to_book: number
  /** Of those, lines booked (recorded or sent to review). */
  booked: number
  /** Lines still being booked. */
  remaining: number
  /** True once nothing is left to book. */
  done: boolean
  /** The same in words, e.g. "Booking 1,200 of 9,000 lines…"; null when the upload booked its lines itself. */
  message: string | null
}

/** An import's booking progress from its counters (`to_book`, `booking`). */
export function bookingProgress(statement: { to_book?: number | null; booking?: number | null }): BookingProgress {
  const toBook = Number(statement.to_book ?? 0)
  const remaining = Math.min(toBook, Number(statement.booking ?? 0))
  const booked = toBook - remaining
  const count = (n: number) => n.toLocaleString("en-US")
  const message = !toBook
    ? null
    : remaining
      ? `Booking ${count(booked)} of ${count(toBook)} lines…`
      : `All ${count(toBook)} lines booked`
  return { to_book: toBook, booked, remaining, done: remaining === 0, message }
}
