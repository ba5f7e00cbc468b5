import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { BankTransactionRow } from "../../../modules/payment-desk/models/bank-transaction"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

/** Input of {@link validateBankPayoutStep}. */
export type ValidateBankPayoutStepInput = {
  /** The debit paying a refund out; null to check the permission only (a returned payout checks its amount itself). */
  line: BankTransactionRow | null
  /** Whoever books the line (the uploader, the person confirming it) holds the refund permission. */
  may_record_payouts: boolean
}

export const validateBankPayoutStepId = "validate-bank-payout"

/**
 * Checks, before a statement's debit books a refund's payout, that the
 * caller may book payouts (the refund permission: a statement is whatever
 * its uploader uploads) and that the debit pays the refund's whole amount
 * in its currency (a smaller debit would mark money paid out that never left).
 */
export const validateBankPayoutStep = createStep(
  validateBankPayoutStepId,
  async (input: ValidateBankPayoutStepInput, { container }) => {
    if (!input.may_record_payouts) {
      throw new MedusaError(
        MedusaError.Types.FORBIDDEN,
        "Recording a refund's payout needs the refund permission: the line waits in review for someone who has it"
      )
    }
    if (!input.line) {
      return new StepResponse({ refund_request_id: null })
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const refund = await desk.retrieveRefundRequest(input.line.refund_request_id as string)
    const currency = refund.currency_code.toUpperCase()
    const lineCurrency = String(input.line.currency_code).toUpperCase()
    if (lineCurrency !== currency || !MathBN.eq(refund.amount as never, input.line.amount as never)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `The line pays out ${MathBN.convert(input.line.amount as never).toString()} ${lineCurrency}, the refund awaits ${MathBN.convert(refund.amount as never).toString()} ${currency}: a payout is recorded for the refund's whole amount only`
      )
    }
    return new StepResponse({ refund_request_id: refund.id as string | null })
  }
  // Reads only: nothing to undo.
)
