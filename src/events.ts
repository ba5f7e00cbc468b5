/** Event names this plugin emits, for `subscriber` configs and `emitEventStep`. */
export const PaymentDeskEvents = {
  PAYMENT_RECORDED: "payment_desk.payment_recorded",
  REFUND_REQUESTED: "payment_desk.refund_requested",
  REFUND_SUCCEEDED: "payment_desk.refund_succeeded",
  REFUND_FAILED: "payment_desk.refund_failed",
  REFUND_NEEDS_ATTENTION: "payment_desk.refund_needs_attention",
  ORDER_CLOSED: "payment_desk.order_closed",
  PAYMENT_OVERDUE: "payment_desk.payment_overdue",
  OVERDUE_ORDERS_FOUND: "payment_desk.overdue_orders_found",
  ORDERS_TO_REMIND_FOUND: "payment_desk.orders_to_remind_found",
  REFUNDS_TO_RECONCILE_FOUND: "payment_desk.refunds_to_reconcile_found",
  BANK_LINES_TO_BOOK_FOUND: "payment_desk.bank_lines_to_book_found",
  CANCELLATION_REQUESTED: "payment_desk.cancellation_requested",
  CANCELLATION_ANSWERED: "payment_desk.cancellation_answered",
} as const

/** Payload of `payment_desk.payment_recorded`. */
export type PaymentRecordedEventData = {
  order_id: string
  payment_id: string
  audit_entry_id: string
  amount: number
  currency_code: string
  method: string
  reference: string | null
  actor_id: string | null
  /** What the order still expects after this receipt (0 once fully paid). */
  outstanding_amount: number
}

/** Payload of every `payment_desk.refund_*` event. */
export type RefundEventData = {
  refund_request_id: string
  order_id: string
  payment_id: string
  amount: number
  currency_code: string
  status: string
  reason: string | null
}

/** Payload of `payment_desk.order_closed`. */
export type OrderClosedEventData = {
  order_closure_id: string
  order_id: string
  actor_type: string
  actor_id: string | null
  reason: string
  note: string | null
  refunded_amount: number
  currency_code: string
  payment_method: string | null
  refund_request_ids: string[]
  ip: string | null
  user_agent: string | null
}

/**
 * Payload of `payment_desk.refunds_to_reconcile_found`: ledger rows pending
 * at their provider, grouped by payment, for one worker to check (on a store
 * with the Redis event bus; see docs/deploy.md).
 */
export type RefundsToReconcileFoundEventData = {
  refund_request_ids: string[]
  /** The batch's share of `refunds.reconcile_budget`: Stripe calls it may make. */
  stripe_budget: number
  /** When the job looked. A row is checked only if it is still pending and due. */
  found_at: string
}

/**
 * Payload of `payment_desk.orders_to_remind_found`: a batch of unpaid orders
 * whose pay-by date is near, found by the reminder job for one worker to
 * remind (on a store with the Redis event bus; see docs/deploy.md).
 */
export type OrdersToRemindFoundEventData = {
  order_ids: string[]
  /** When the job looked. Each order is checked again before its email. */
  found_at: string
}

/**
 * Payload of `payment_desk.overdue_orders_found`: a batch of orders the
 * auto-close job found past their payment window, for one worker to close
 * (on a store with the Redis event bus; see docs/deploy.md).
 */
export type OverdueOrdersFoundEventData = {
  order_ids: string[]
  /** When the job looked: a worker closes an order only if it is overdue at this time and still is. */
  found_at: string
}

/**
 * Payload of `payment_desk.bank_lines_to_book_found`: a batch of an imported
 * statement's matched lines (exact matches, payout debits) for one worker to
 * book, handed out by an upload over `bank_statements.inline_booking_limit`
 * lines or by the scheduled pickup of lines left `matched` (see
 * docs/bank-statements.md).
 */
export type BankLinesToBookFoundEventData = {
  bank_statement_id: string
  /** The lines, in file order. A line is booked only if it is still `matched`. */
  bank_transaction_ids: string[]
  /** Who the receipts are recorded for: the uploader. */
  actor: { type: "user" | "customer" | "system"; id?: string | null; email?: string | null }
  /** The uploader held the refund permission: payout debits are booked; otherwise they go to review. */
  may_record_payouts: boolean
  ip: string | null
  user_agent: string | null
  /** When the lines were handed out. */
  found_at: string
}

/** Payload of `payment_desk.cancellation_requested`: a customer asked to cancel a paid order. */
export type CancellationRequestedEventData = {
  cancellation_request_id: string
  order_id: string
  customer_id: string
  reason: string
  note: string | null
}

/** Payload of `payment_desk.cancellation_answered`: an admin approved (order closed) or declined a request. */
export type CancellationAnsweredEventData = {
  cancellation_request_id: string
  order_id: string
  customer_id: string
  status: "approved" | "declined"
  answered_by: string | null
  answer_message: string | null
  /** The closure an approval made; null for a decline. */
  order_closure_id: string | null
}
