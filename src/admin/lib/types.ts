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
}
