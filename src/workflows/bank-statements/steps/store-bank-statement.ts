import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { setImmediate as yieldToLoop } from "node:timers/promises"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { BankTransactionInsert } from "../../../modules/payment-desk/service"
import { fallbackDedupeKeysSliced } from "../../../utils/bank-statements/line-keys"
import { runSlicedAsync } from "../../../utils/bank-statements/slices"
import type { SkippedEntryReport } from "../../../types/bank-statements"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import type { Actor } from "../../shared/steps/resolve-actor"
import type { StoredLine } from "../../../modules/payment-desk/service"
import type { SkippedRow } from "../../../types/bank-statements"

/** Input of {@link storeBankStatementStep}. */
export type StoreBankStatementStepInput = {
  /** The parsed file (its lines are not read again: `transactions` are they, matched). */
  statement: {
    file_name: string
    format: string
    checksum: string
    statement_ids: string[]
    accounts: string[]
    /** Entries of the file that give no line, with why (pending rows among them). */
    skipped: SkippedEntryReport[]
    /** The file's entries: transactions plus skipped. */
    entries: number
    /** Rows the file marks pending, skipped. */
    pending: number
    /** Summary rows at the end of the file, skipped. */
    summary_rows: SkippedRow[]
  }
  actor: Actor
  /** The matched lines in file order, each with its dedupe key. */
  transactions: BankTransactionInsert[]
}

/** Lines stored per transaction while an import is staged (a page of 1,000 held the event loop 50–120 ms). */
export const BANK_STATEMENT_PAGE = 250

/** The import as stored: its id, the lines stored now, and the lines an earlier import holds already. */
export type StoredBankStatement = {
  bank_statement_id: string
  /** Lines to book now: new exact matches, and lines an interrupted earlier import left matched. */
  to_record: string[]
  /** Of `to_record`, the lines this import stored (the rest are earlier imports' lines). */
  to_record_here: number
  inserted: number
  duplicates: number
}

export const storeBankStatementStepId = "store-bank-statement"

/**
 * Stores the import and its new lines, all or nothing without one long
 * transaction: the import is opened `staging` (hidden), its lines are stored
 * a page at a time, each page in its own short transaction (lines already
 * imported are skipped), and one last transaction shows the import and all
 * its lines together. The compensation takes the import back out, except
 * lines whose money was booked meanwhile (those only go forward).
 */
export const storeBankStatementStep = createStep(
  storeBankStatementStepId,
  async (input: StoreBankStatementStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const credits = input.transactions.filter((row) => row.direction === "credit").length
    const { statement } = input
    const statementId = await desk.stageBankStatement({
      file_name: statement.file_name,
      format: statement.format,
      checksum: statement.checksum,
      statement_ids: statement.statement_ids,
      accounts: statement.accounts,
      lines: input.transactions.length,
      entries: statement.entries,
      credits,
      debits: input.transactions.length - credits,
      pending: statement.pending,
      summary_rows: statement.summary_rows,
      imported_by_type: input.actor.type === "user" ? "user" : "system",
      imported_by_id: input.actor.id ?? null,
      imported_by_email: input.actor.email ?? null,
    })
    try {
      // Per line, the key it takes when its own names a different stored line.
      const fallbackKeys = await runSlicedAsync(fallbackDedupeKeysSliced(input.transactions))
      const inserted: StoredLine[] = []
      const duplicates: StoredLine[] = []
      // The parser's skipped entries, then every duplicate (of an earlier import's line or of this file's).
      const skipped: SkippedEntryReport[] = [...statement.skipped]
      for (let start = 0; start < input.transactions.length; start += BANK_STATEMENT_PAGE) {
        const stored = await desk.stageBankTransactions({
          bank_statement_id: statementId,
          transactions: input.transactions.slice(start, start + BANK_STATEMENT_PAGE),
          fallback_keys: fallbackKeys.slice(start, start + BANK_STATEMENT_PAGE),
        })
        inserted.push(...stored.inserted)
        duplicates.push(...stored.duplicates)
        skipped.push(...stored.skipped)
        await yieldToLoop()
      }
      await desk.commitBankStatement(statementId, { skipped })
      const result: StoredBankStatement = {
        bank_statement_id: statementId,
        to_record: [...new Set([...inserted, ...duplicates].filter((row) => row.status === "matched").map((row) => row.id))],
        to_record_here: inserted.filter((row) => row.status === "matched").length,
        inserted: inserted.length,
        duplicates: skipped.filter((entry) => entry.reason === "duplicate").length,
      }
      return new StepResponse(result, statementId)
    } catch (error) {
      // A failed import leaves nothing: its staged lines and the import go (the compensation does not run for this step).
      await desk.discardBankStatement(statementId)
      throw error
    }
  },
  async (statementId, { container }) => {
    if (!statementId) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.discardBankStatement(statementId)
  }
)
