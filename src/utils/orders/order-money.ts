import { MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { LedgerRow, refundableOf } from "../refunds/refundable"
import type { OrderPayment, OrderPaymentState } from "./read-order-payments"

/** What one payment of the order holds: Medusa's captures and refunds on it, and what the ledger may still refund. */
export type PaymentMoney = {
  payment: OrderPayment
  captured: BigNumberInput
  /** Medusa's refund rows on the payment, whoever made them. */
  refunded: BigNumberInput
  refundable: BigNumberInput
}

/** What was paid on an order and what can still be refunded, over every payment it ever had. */
export type OrderMoney = {
  /** Every capture of every payment of every collection of the order, canceled payments included. */
  received: BigNumberInput
  /** Every Medusa refund of those payments. */
  refunded: BigNumberInput
  /** What the ledger may still refund: per payment, captured − ledger refunds − refunds outside the ledger. */
  refundable: BigNumberInput
  /** The payments that hold money (a capture), oldest first. */
  paid_payments: PaymentMoney[]
}

const sum = (values: BigNumberInput[]) => values.reduce<BigNumberInput>((total, value) => MathBN.add(total, value), MathBN.convert(0))

/**
 * What was paid on an order: Medusa's captures and refunds on every payment
 * of every collection of the order, canceled payments included (an order edit
 * cancels a partly captured payment and opens a new collection; the money
 * captured on the canceled one is still the customer's). The one computation
 * the summary, closing, refund targets and statement matching use.
 */
export function orderMoney(order: OrderPaymentState, ledger: LedgerRow[]): OrderMoney {
  const payments = order.payment_collections.flatMap((collection) => collection.payments)
  const lines = payments.map((payment) => {
    const { captured, refundable } = refundableOf(payment, ledger)
    return { payment, captured, refunded: sum(payment.refunds.map((refund) => refund.amount)), refundable }
  })
  return {
    received: sum(lines.map((line) => line.captured)),
    refunded: sum(lines.map((line) => line.refunded)),
    refundable: sum(lines.map((line) => line.refundable)),
    paid_payments: lines.filter((line) => line.payment.captures.some((capture) => MathBN.gt(capture.amount, 0))),
  }
}
