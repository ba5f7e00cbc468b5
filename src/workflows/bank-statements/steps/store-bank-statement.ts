import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { BankTransactionInsert } from "../../../modules/payment-desk/service"
import type { SkippedEntryReport } from "../../../types/bank-statements"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import type { Actor } from "../../shared/steps/resolve-actor"

/** Input of {@link storeBankStatementStep}. */
export type StoreBankStatementStepInput = {
  file_name: string
  format: string
  checksum: string
  statement_ids: string[]
  accounts: string[]
  actor: Actor
  transactions: BankTransactionInsert[]
  /** Per transaction, the key it takes when its own names a different stored line. */
  fallback_keys: (string | null)[]
  /** Entries of the file that give no line, with why. */
  skipped: SkippedEntryReport[]
  /** The file's entries: transactions plus skipped. */
  entries: number
}

/** The import as stored: its id, the lines stored now, and the lines an earlier import holds already. */
export type StoredBankStatement = {
  bank_statement_id: string
  /** Lines to book now: new exact matches, and lines an interrupted earlier import left matched. */
  to_record: string[]
  inserted: number
  duplicates: number
}

export const storeBankStatementStepId = "store-bank-statement"

/**
 * Stores the import and its new lines in one transaction (lines already
 * imported are skipped): a file is stored whole or not at all. The
 * compensation takes the import back out, except lines whose money was booked
 * meanwhile (those only go forward).
 */
export const storeBankStatementStep = createStep(
  storeBankStatementStepId,
  async (input: StoreBankStatementStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const credits = input.transactions.filter((row) => row.direction === "credit").length
    const stored = await desk.storeBankStatement({
      statement: {
        file_name: input.file_name,
        format: input.format,
        checksum: input.checksum,
        statement_ids: input.statement_ids,
        accounts: input.accounts,
        lines: input.transactions.length,
        entries: input.entries,
        credits,
        debits: input.transactions.length - credits,
        imported_by_type: input.actor.type === "user" ? "user" : "system",
        imported_by_id: input.actor.id ?? null,
        imported_by_email: input.actor.email ?? null,
      },
      transactions: input.transactions,
      fallback_keys: input.fallback_keys,
      skipped: input.skipped,
    })
    const result: StoredBankStatement = {
      bank_statement_id: stored.statement_id,
      to_record: [...stored.inserted, ...stored.duplicates].filter((row) => row.status === "matched").map((row) => row.id),
      inserted: stored.inserted.length,
      duplicates: stored.duplicates.length,
    }
    return new StepResponse(result, stored.statement_id)
  },
  async (statementId, { container }) => {
    if (!statementId) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.discardBankStatement(statementId)
  }
)
