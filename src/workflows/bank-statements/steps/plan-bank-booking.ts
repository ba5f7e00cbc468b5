import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { booksInline } from "../../../utils/bank-statements/booking-batches"

/** How an import books its matched lines: in the upload (`inline`) or handed to the workers. */
export type BankBookingPlan = { inline: boolean }

/** Id of {@link planBankBookingStep}. */
export const planBankBookingStepId = "plan-bank-booking"

/**
 * Decides where an import's lines to book are booked: at most
 * `bank_statements.inline_booking_limit` in the upload, more by the workers.
 * No compensation: it only reads an option.
 */
export const planBankBookingStep = createStep(planBankBookingStepId, async (input: { bank_transaction_ids: string[] }, { container }) => {
  const limit = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().bank_statements.inline_booking_limit
  return new StepResponse<BankBookingPlan>({ inline: booksInline(input.bank_transaction_ids.length, limit) })
})
