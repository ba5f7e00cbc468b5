/** One entry of the audit trail. */
export type AuditEntry = {
  id: string
  order_id: string
  payment_id: string | null
  action: string
  actor_type: "user" | "customer" | "system"
  actor_id: string | null
  actor_email: string | null
  amount: number | null
  currency_code: string | null
  method: string | null
  reference: string | null
  received_at: string | null
  note: string | null
  payment_status_before: string | null
  payment_status_after: string | null
  order_payment_status_before: string | null
  order_payment_status_after: string | null
  created_at: string
}

/** `GET /admin/payment-desk/orders/:id`, as the widgets read it. */
export type OrderPaymentSummary = {
  order_id: string
  display_id: number | null
  status: string
  currency_code: string
  total: number
  paid_total: number
  refunded_total: number
  outstanding_amount: number
  refundable_amount: number
  payment_method: string | null
  payment_method_name: string | null
  instructions: string | null
  pay_by: string | null
  payments: {
    id: string
    provider_id: string
    method: string
    amount: number
    captured_at: string | null
    canceled_at: string | null
  }[]
  audit: AuditEntry[]
}

export type ReceiptMethod = { id: string; label: string }

export type RecordPaymentBody = {
  amount: number
  method: string
  reference?: string
  received_at?: string
  note?: string
}
