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

/** A cancellation request as the store API shows it to the customer: no admin ids. */
export function storeCancellationRequestView(request: {
  id: string
  order_id: string
  reason: string
  note: string | null
  status: string
  answer_message: string | null
  answered_at: Date | string | null
  created_at: Date | string
}) {
  return {
    id: request.id,
    order_id: request.order_id,
    reason: request.reason,
    note: request.note,
    status: request.status,
    answer_message: request.answer_message,
    answered_at: request.answered_at,
    created_at: request.created_at,
  }
}
