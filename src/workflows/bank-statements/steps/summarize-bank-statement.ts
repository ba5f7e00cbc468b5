import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export const summarizeBankStatementStepId = "summarize-bank-statement"

/** Counts the import's lines by outcome and writes the figures on it. No compensation: it only restates what is stored. */
export const summarizeBankStatementStep = createStep(
  summarizeBankStatementStepId,
  async (input: { bank_statement_id: string; duplicates: number }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.summarizeBankStatement({ id: input.bank_statement_id, duplicates: input.duplicates })
    return new StepResponse(await desk.retrieveBankStatement(input.bank_statement_id))
  }
)
