import { createHook, createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { BankStatementFormat } from "../../types/bank-statements"
import { matchBankLinesStep } from "./steps/match-bank-lines"
import { parseBankStatementStep } from "./steps/parse-bank-statement"
import { recordBankTransactionsStep } from "./steps/record-bank-transactions"
import { handOutBankLinesStep } from "./steps/hand-out-bank-lines"
import { planBankBookingStep } from "./steps/plan-bank-booking"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"
import { yieldToEventLoopStep } from "../shared/steps/yield-to-event-loop"
import { storeBankStatementStep } from "./steps/store-bank-statement"
import { summarizeBankStatementStep } from "./steps/summarize-bank-statement"

/** Input of `importBankStatementWorkflow`. */
export type ImportBankStatementWorkflowInput = {
  file_name: string
  /** The file's bytes, base64-encoded; or `upload_id`. */
  content_base64?: string | null
  /** A file held in this process by `holdUpload` (the upload route), instead of `content_base64`. */
  upload_id?: string | null
  /** Detected from the content when left out. */
  format?: BankStatementFormat | null
  /** A CSV profile's name from `bank_statements.csv_profiles`. */
  profile?: string | null
  actor: Actor
  ip?: string | null
  user_agent?: string | null
  /** The uploader holds the refund permission: payout debits are booked; otherwise they wait in review (default false). */
  may_record_payouts?: boolean
}

export const importBankStatementWorkflowId = "payment-desk-import-bank-statement"

/**
 * Imports a bank statement file: parses and checks it whole (a bad file
 * stores nothing), matches each credit to an order and each payout debit to
 * its refund, stores the new lines (lines imported before are skipped), then
 * books the exact matches through the record-payment and payout workflows,
 * each under its order's lock; everything else waits for review. An import
 * with more lines to book than `bank_statements.inline_booking_limit` answers
 * once its lines are stored, showing how many are being booked, and hands
 * them to the workers in `payment_desk.bank_lines_to_book_found` batches,
 * which book them with the same code.
 */
export const importBankStatementWorkflow = createWorkflow(
  importBankStatementWorkflowId,
  (input: WorkflowData<ImportBankStatementWorkflowInput>) => {
    const actor = resolveActorStep(input.actor)
    const parsed = parseBankStatementStep(
      transform({ input }, ({ input }) => ({
        file_name: input.file_name,
        content_base64: input.content_base64 ?? null,
        upload_id: input.upload_id ?? null,
        format: input.format ?? null,
        profile: input.profile ?? null,
      }))
    )
    // Steps take `parsed` and `rows` themselves, not through a `transform`: the engine copies a step's
    // input whole and a transform's too, and a copy of 10,000 lines holds the event loop ~50 ms.
    const rows = matchBankLinesStep(parsed)
    const matched = createHook("bankLinesMatched", { parsed, rows })
    // The hook's input and the store step's are each a copy of 10,000 lines and rows: not in one turn of the loop.
    yieldToEventLoopStep().config({ name: "yield-after-bank-lines-matched" })
    const stored = storeBankStatementStep({ statement: parsed, transactions: rows, actor })
    const booking = transform({ stored, input, actor }, ({ stored, input, actor }) => ({
      bank_transaction_ids: stored.to_record,
      actor,
      may_record_payouts: input.may_record_payouts === true,
      ip: input.ip ?? null,
      user_agent: input.user_agent ?? null,
    }))
    const plan = planBankBookingStep(booking)
    when({ plan }, ({ plan }) => plan.inline).then(() => {
      recordBankTransactionsStep(booking)
    })
    const statement = summarizeBankStatementStep(
      transform({ stored, plan, input }, ({ stored, plan, input }) => ({
        bank_statement_id: stored.bank_statement_id,
        duplicates: stored.duplicates,
        // Kept for the scheduled pickup of lines this import leaves matched, whichever way it books.
        book_payouts: input.may_record_payouts === true,
        ...(plan.inline ? {} : { to_book: stored.to_record_here }),
      }))
    )
    // After the answer is summed up: with the local event bus the first batch starts right away.
    when({ plan }, ({ plan }) => !plan.inline).then(() => {
      handOutBankLinesStep(booking)
    })
    return new WorkflowResponse({ bank_statement: statement }, { hooks: [matched] })
  }
)
