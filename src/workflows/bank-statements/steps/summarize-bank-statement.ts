import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

/** Input of {@link summarizeBankStatementStep}. */
export type SummarizeBankStatementStepInput = {
  bank_statement_id: string
  duplicates: number
  /** Lines handed to the workers to book, when the import hands them out: its lines still `matched` count as being booked. */
  to_book?: number
  /** Whether the uploader may book payouts, kept for the scheduled pickup of the import's lines left `matched`. */
  book_payouts?: boolean
}

/** Id of {@link summarizeBankStatementStep}. */
export const summarizeBankStatementStepId = "summarize-bank-statement"

/** Counts the import's lines by outcome and writes the figures on it. No compensation: it only restates what is stored. */
export const summarizeBankStatementStep = createStep(
  summarizeBankStatementStepId,
  async (input: SummarizeBankStatementStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.summarizeBankStatement({
      id: input.bank_statement_id,
      duplicates: input.duplicates,
      to_book: input.to_book,
      book_payouts: input.book_payouts,
    })
    return new StepResponse(await desk.retrieveBankStatement(input.bank_statement_id))
  }
)
