import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { assertMoneyAmount } from "../../utils/payment-status"
import { readRefundablePayment } from "../../utils/refundable"

export type ValidateRefundStepInput = {
  payment_id: string
  amount: number
  /** A ledger row being retried: its own amount is not counted against it. */
  retrying_refund_request_id?: string | null
}

export const validateRefundStepId = "validate-refund"

/**
 * Checks a refund against the payment as it is under the payment lock: the
 * amount is above 0, fits the currency's precision and is at most the
 * refundable amount (captured − ledger refunds that left, are leaving or may
 * still leave − refunds made outside the ledger).
 */
export const validateRefundStep = createStep(
  validateRefundStepId,
  async (input: ValidateRefundStepInput, { container }) => {
    const payment = await readRefundablePayment(container, input.payment_id, input.retrying_refund_request_id)
    assertMoneyAmount("amount", input.amount, payment.currency_code)
    const currency = payment.currency_code.toUpperCase()
    if (MathBN.gt(input.amount, payment.refundable)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `amount: ${input.amount} ${currency} is more than the refundable amount of ${MathBN.convert(
          payment.refundable
        ).toString()} ${currency}`
      )
    }
    return new StepResponse({
      payment_id: payment.id,
      provider_id: payment.provider_id,
      currency_code: payment.currency_code,
      refundable_before: MathBN.convert(payment.refundable).toNumber(),
    })
  }
)
