import { MathBN, Modules } from "@medusajs/framework/utils"
import type { BigNumberInput, MedusaContainer } from "@medusajs/framework/types"

type RefundWriter = {
  createRefunds(data: {
    payment_id: string
    amount: BigNumberInput
    created_by: string | null
    note: string | null
    refund_reason_id: string | null
    metadata: Record<string, unknown>
  }): Promise<{ id: string }>
}

/**
 * Books a refund whose money a provider has already returned in Medusa's
 * own records (refund row, payment collection's refunded amount, order
 * transaction), without calling the provider again.
 */
export async function recordMedusaRefund(
  container: MedusaContainer,
  input: {
    /** The ledger row: Medusa's refund carries it in its metadata, so it is booked once. */
    refund_request_id: string
    order_id: string
    payment_id: string
    amount: BigNumberInput
    currency_code: string
    created_by?: string | null
    note?: string | null
    refund_reason_id?: string | null
  }
): Promise<{ refund_id: string; transaction_id: string }> {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const orderModule = container.resolve(Modules.ORDER)
  const payment = await paymentModule.retrievePayment(input.payment_id, {
    select: ["id", "payment_collection_id"],
    relations: ["payment_collection"],
  })
  // `createRefunds` is generated for the Refund model at runtime but left out
  // of the module's interface; it writes the row without calling the provider.
  // Booked before (a process that died before the ledger was updated)? Reuse it.
  const existing = (
    await paymentModule.listRefunds({ payment_id: input.payment_id }, { select: ["id", "metadata"] })
  ).find(
    (row) =>
      (row as { metadata?: Record<string, unknown> | null }).metadata?.refund_request_id === input.refund_request_id
  )
  if (existing) {
    const [transaction] = await orderModule.listOrderTransactions({ reference: "refund", reference_id: existing.id })
    if (transaction) {
      return { refund_id: existing.id, transaction_id: transaction.id }
    }
  }
  const refunds = paymentModule as unknown as RefundWriter
  const refund = existing ?? await refunds.createRefunds({
    payment_id: input.payment_id,
    amount: input.amount,
    created_by: input.created_by ?? null,
    note: input.note ?? null,
    refund_reason_id: input.refund_reason_id ?? null,
    metadata: { recorded_by: "medusa-payment-desk", refund_request_id: input.refund_request_id },
  })
  const collection = payment.payment_collection!
  if (!existing) {
    await paymentModule.updatePaymentCollections(collection.id, {
      refunded_amount: MathBN.add(collection.refunded_amount ?? 0, input.amount),
    } as Parameters<typeof paymentModule.updatePaymentCollections>[1])
  }
  const [transaction] = await orderModule.addOrderTransactions([
    {
      order_id: input.order_id,
      amount: MathBN.mult(input.amount, -1),
      currency_code: input.currency_code,
      reference: "refund",
      reference_id: refund.id,
    },
  ])
  return { refund_id: refund.id, transaction_id: transaction.id }
}

/**
 * Takes back a refund from Medusa's records (the provider reported the money
 * did not go back after all), so the order shows it as not returned.
 */
export async function reverseMedusaRefund(
  container: MedusaContainer,
  input: { order_id: string; refund_id: string }
): Promise<void> {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const orderModule = container.resolve(Modules.ORDER)
  const [refund] = await paymentModule.listRefunds(
    { id: input.refund_id },
    { select: ["id", "amount", "payment_id"], relations: ["payment", "payment.payment_collection"] }
  )
  if (!refund) {
    return
  }
  const transactions = await orderModule.listOrderTransactions({
    order_id: input.order_id,
    reference: "refund",
    reference_id: input.refund_id,
  })
  if (transactions.length) {
    await orderModule.deleteOrderTransactions(transactions.map((t) => t.id))
  }
  await paymentModule.deleteRefunds([refund.id])
  const collection = refund.payment?.payment_collection
  if (collection) {
    const left = MathBN.sub(collection.refunded_amount ?? 0, refund.amount)
    await paymentModule.updatePaymentCollections(collection.id, {
      refunded_amount: MathBN.gt(left, 0) ? left : 0,
    } as Parameters<typeof paymentModule.updatePaymentCollections>[1])
  }
}

/** Books a ledger row's refund in Medusa (see `recordMedusaRefund`). */
export function bookLedgerRefund(
  container: MedusaContainer,
  row: {
    id: string
    order_id: string
    payment_id: string
    amount: BigNumberInput
    currency_code: string
    requested_by_id: string | null
    note: string | null
    refund_reason_id: string | null
  }
) {
  return recordMedusaRefund(container, {
    refund_request_id: row.id,
    order_id: row.order_id,
    payment_id: row.payment_id,
    amount: row.amount,
    currency_code: row.currency_code,
    created_by: row.requested_by_id,
    note: row.note,
    refund_reason_id: row.refund_reason_id,
  })
}
