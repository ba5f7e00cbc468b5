import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput, MedusaContainer } from "@medusajs/framework/types"
import type { OrderPaymentState } from "../orders/read-order-payments"

/** A Medusa refund of the order's payments that the order's books do not hold. */
export type UnbookedRefund = {
  refund_id: string
  payment_id: string
  /** What is missing from the order's books for it (its amount, unless a payment-wide booking covers part of it). */
  amount: BigNumberInput
  currency_code: string
}

/** A refund order transaction: what Medusa books a refund as. */
export type RefundTransaction = { reference_id: string | null; amount: BigNumberInput }

/**
 * The Medusa refunds of the order's payments (every collection, canceled
 * payments included) that have no order transaction: the money left at the
 * provider but the order's summary does not count it (Medusa's cancel that
 * failed past its refunds removes their transactions). A refund counts as
 * booked when a refund transaction names it (core's refund and the ledger
 * book it so) or, oldest first, as far as refund transactions that name its
 * payment reach (core's cancel books one per payment). The ledger's own
 * refunds are left out: the ledger books them itself and reconciliation
 * completes a booking that failed.
 */
export function unbookedRefundsOf(order: OrderPaymentState, transactions: RefundTransaction[]): UnbookedRefund[] {
  const named = new Set(transactions.map((t) => t.reference_id))
  const unbooked: UnbookedRefund[] = []
  for (const payment of order.payment_collections.flatMap((c) => c.payments)) {
    // What the payment-wide bookings cover (their amounts are negative).
    let covered = transactions
      .filter((t) => t.reference_id === payment.id)
      .reduce<BigNumberInput>((sum, t) => MathBN.add(sum, MathBN.abs(t.amount)), MathBN.convert(0))
    for (const refund of payment.refunds) {
      if (refund.metadata?.recorded_by === "medusa-payment-desk" || named.has(refund.id)) {
        continue
      }
      if (MathBN.gte(covered, refund.amount)) {
        covered = MathBN.sub(covered, refund.amount)
        continue
      }
      unbooked.push({
        refund_id: refund.id,
        payment_id: payment.id,
        amount: MathBN.sub(refund.amount, covered),
        currency_code: payment.currency_code,
      })
      covered = MathBN.convert(0)
    }
  }
  return unbooked
}

/** The order's refund transactions, as the order module holds them (deleted ones left out). */
export async function listRefundTransactions(container: MedusaContainer, orderId: string): Promise<RefundTransaction[]> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await pg.raw(
    `select t.reference_id, t.raw_amount from order_transaction t
      where t.order_id = ? and t.reference = 'refund' and t.deleted_at is null`,
    [orderId]
  )
  return (rows as { reference_id: string | null; raw_amount: { value: string; precision?: number } }[]).map((row) => ({
    reference_id: row.reference_id,
    amount: MathBN.convert(row.raw_amount as never),
  }))
}
