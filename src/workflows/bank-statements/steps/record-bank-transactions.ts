import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { bookBankTransactions, BookBankTransactionsInput } from "../book-bank-transactions"

/** Input of {@link recordBankTransactionsStep}: the lines to book, in file order. */
export type RecordBankTransactionsStepInput = BookBankTransactionsInput

/** Id of {@link recordBankTransactionsStep}. */
export const recordBankTransactionsStepId = "record-bank-transactions"

/**
 * Books an upload's matched lines in the upload itself (an import of at most
 * `bank_statements.inline_booking_limit` lines to book) with
 * {@link bookBankTransactions}, the same code a worker runs for a batch: each
 * line under its order's lock, one receipt per line ever, marked by
 * compare-and-set; a line that cannot be booked goes to review with the
 * reason. No compensation: each booked line is money recorded, which only
 * goes forward; a line left `matched` by a crash is booked by the scheduled
 * pickup (or the next import of a file that holds it).
 */
export const recordBankTransactionsStep = createStep(
  recordBankTransactionsStepId,
  async (input: RecordBankTransactionsStepInput, { container }) => {
    return new StepResponse(await bookBankTransactions(container, input))
  }
)
