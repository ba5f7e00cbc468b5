import { createStep } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import type { BankTransactionRow } from "../../../modules/payment-desk/models/bank-transaction"

/** Input of {@link refuseUnbookableDebitStep}. */
export type RefuseUnbookableDebitStepInput = { line: BankTransactionRow }

export const refuseUnbookableDebitStepId = "refuse-unbookable-debit"

/**
 * Refuses to confirm an outgoing line that pays no refund out (a reversed
 * incoming payment): confirming books nothing for it, and marking it recorded
 * would hide that the order's money went back. A reversed credit is booked
 * through `bookBankReversalWorkflow` instead, or ignored with a note.
 */
export const refuseUnbookableDebitStep = createStep(
  refuseUnbookableDebitStepId,
  async (input: RefuseUnbookableDebitStepInput): Promise<never> => {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      input.line.reversal
        ? `Bank transaction ${input.line.id} is outgoing and pays no refund out: the bank reversed an incoming payment, so book the reversal (it refunds the order's receipt) or ignore this line with a note`
        : `Bank transaction ${input.line.id} is outgoing and pays no refund out: nothing can be recorded from it`
    )
  }
  // Refuses only: nothing to undo.
)
