import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import type { BigNumberInput, MedusaContainer } from "@medusajs/framework/types"

/**
 * The refund credit line core's `refundPaymentWorkflow` adds for a refund of
 * `amount` (Medusa's refund `refund_id`), worked out from the order as it
 * was before the refund was booked: the amount, less what the customer was
 * still owed (a negative pending difference is not credited again); 0 when
 * the order holds a credit line for the refund already. Safe to ask again
 * after the refund's order transaction was added: it is taken back out first.
 */
export async function refundCreditLineOf(
  container: MedusaContainer,
  refund: { order_id: string; refund_id: string; amount: BigNumberInput }
): Promise<number> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "status", "summary.*", "transactions.reference_id", "credit_lines.reference_id"],
    filters: { id: refund.order_id },
  })
  const order = data[0]
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${refund.order_id} was not found`)
  }
  const has = (list: ({ reference_id?: string | null } | null)[] | null | undefined) =>
    (list ?? []).some((item) => item?.reference_id === refund.refund_id)
  if (has(order.credit_lines as { reference_id?: string | null }[])) {
    return 0
  }
  const summary = (order.summary ?? {}) as { pending_difference?: BigNumberInput; raw_pending_difference?: BigNumberInput }
  let pendingBefore = MathBN.convert(summary.raw_pending_difference ?? summary.pending_difference ?? 0)
  if (has(order.transactions as { reference_id?: string | null }[])) {
    // Asked after this refund's order transaction was added: as it was before it.
    pendingBefore = MathBN.sub(pendingBefore, refund.amount)
  }
  // Core's rule: money the customer was still owed is not credited again.
  let credit = MathBN.convert(refund.amount)
  if (MathBN.lt(pendingBefore, 0)) {
    const owed = MathBN.mult(pendingBefore, -1)
    credit = MathBN.gt(credit, owed) ? MathBN.sub(credit, owed) : MathBN.convert(0)
  }
  return credit.toNumber()
}
