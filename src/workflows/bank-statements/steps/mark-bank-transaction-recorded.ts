import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

/** Input of {@link markBankTransactionRecordedStep}. */
export type MarkBankTransactionRecordedStepInput = {
  bank_transaction_id: string
  audit_entry_id?: string | null
  refund_request_id?: string | null
  excess_amount?: string | null
}

export const markBankTransactionRecordedStepId = "mark-bank-transaction-recorded"

/**
 * Marks a line `recorded` with the receipt or payout it booked. No
 * compensation: it runs after the money was booked, and only goes forward;
 * run again, it changes nothing (the line is no longer `matched`).
 */
export const markBankTransactionRecordedStep = createStep(
  markBankTransactionRecordedStepId,
  async (input: MarkBankTransactionRecordedStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const patch: Record<string, unknown> = { review_reason: null }
    if (input.audit_entry_id) patch.audit_entry_id = input.audit_entry_id
    if (input.refund_request_id) patch.refund_request_id = input.refund_request_id
    if (input.excess_amount !== undefined) {
      patch.excess_amount = input.excess_amount
      if (input.excess_amount) patch.review_reason = `Over-payment: ${input.excess_amount} more than the order owed was received and not recorded`
    }
    const line =
      (await desk.transitionBankTransaction({ id: input.bank_transaction_id, from: ["matched"], to: "recorded", patch })) ??
      (await desk.retrieveBankTransaction(input.bank_transaction_id))
    return new StepResponse(line)
  }
)
