import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { readOrderPayments } from "../../../utils/orders/read-order-payments"

export type ResolveRefundPaymentStepInput = { order_id: string; payment_id?: string | null }

export const resolveRefundPaymentStepId = "resolve-refund-payment"

/**
 * Finds the payment to refund: the one named, which must belong to the order,
 * or the order's only captured payment.
 */
export const resolveRefundPaymentStep = createStep(
  resolveRefundPaymentStepId,
  async (input: ResolveRefundPaymentStepInput, { container }) => {
    const order = await readOrderPayments(container, input.order_id)
    const payments = order.payment_collections.flatMap((collection) => collection.payments)
    if (input.payment_id) {
      const named = payments.find((payment) => payment.id === input.payment_id)
      if (!named) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `payment_id: ${input.payment_id} is not a payment of order ${order.id}`
        )
      }
      return new StepResponse({ order_id: order.id, payment_id: named.id, currency_code: order.currency_code })
    }
    // Canceled payments count: an order edit cancels a partly captured payment, its money stays captured.
    const captured = payments.filter((payment) => payment.captures.some((capture) => MathBN.gt(capture.amount, 0)))
    if (!captured.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${order.id} has no captured payment to refund`
      )
    }
    if (captured.length > 1) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `payment_id: order ${order.id} has several captured payments (${captured.map((p) => p.id).join(", ")}); say which one to refund`
      )
    }
    return new StepResponse({ order_id: order.id, payment_id: captured[0].id, currency_code: order.currency_code })
  }
)
