import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { assertNoActiveOrderChange } from "../../../utils/orders/active-order-change"
import { assertMoneyAmount } from "../../../utils/orders/payment-status"
import { readRefundablePayment } from "../../../utils/refunds/refundable"
import { isStripeProvider } from "../../../utils/stripe/client"
import { toStripeAmount } from "../../../utils/stripe/amounts"

export type ValidateRefundStepInput = {
  payment_id: string
  amount: number
  refund_reason_id?: string | null
  /** A ledger row being retried: its own amount is not counted against it. */
  retrying_refund_request_id?: string | null
}

export const validateRefundStepId = "validate-refund"

/**
 * Checks a refund against the payment as it is under the order lock: the
 * amount is above 0, fits the currency's precision (and Stripe's minor unit
 * for card payments) and is at most the refundable amount (captured −
 * ledger refunds that left, are leaving or may still leave − refunds made
 * outside the ledger); the refund reason, when given, exists; and Medusa has
 * no order change under way on the order (its booking would fail after the
 * money left).
 */
export const validateRefundStep = createStep(
  validateRefundStepId,
  async (input: ValidateRefundStepInput, { container }) => {
    const payment = await readRefundablePayment(container, input.payment_id, input.retrying_refund_request_id)
    assertMoneyAmount("amount", input.amount, payment.currency_code)
    if (isStripeProvider(payment.provider_id)) {
      toStripeAmount(input.amount, payment.currency_code)
    }
    const currency = payment.currency_code.toUpperCase()
    if (MathBN.gt(input.amount, payment.refundable)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `amount: ${input.amount} ${currency} is more than the refundable amount of ${MathBN.convert(
          payment.refundable
        ).toString()} ${currency}`
      )
    }
    if (input.refund_reason_id) {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "refund_reason", fields: ["id"], filters: { id: input.refund_reason_id } })
      if (!data.length) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `refund_reason_id: no refund reason with id ${input.refund_reason_id}`
        )
      }
    }
    await assertNoActiveOrderChange(container, { payment_collection_id: payment.payment_collection_id }, "refunding")
    return new StepResponse({
      payment_id: payment.id,
      provider_id: payment.provider_id,
      currency_code: payment.currency_code,
      refundable_before: MathBN.convert(payment.refundable).toNumber(),
    })
  }
)
