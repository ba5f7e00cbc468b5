/** A closure as the store API shows it to the customer: no actor, IP or internal notes. */
export function storeClosureView(closure: {
  id: string
  order_id: string
  reason: string
  refunded_amount: unknown
  currency_code: string
  closed_at: Date | string
}) {
  return {
    id: closure.id,
    order_id: closure.order_id,
    reason: closure.reason,
    refunded_amount: Number(closure.refunded_amount),
    currency_code: closure.currency_code,
    closed_at: closure.closed_at,
  }
}
