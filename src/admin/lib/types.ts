import type { OrderPaymentSummary as ServerOrderPaymentSummary } from "../../utils/orders/order-payment-summary"
import type { ReceiptMethod as ServerReceiptMethod } from "../../utils/orders/receipt-methods"

/** One entry of the audit trail. */
export type AuditEntry = {
  id: string
  order_id: string
  payment_id: string | null
  action: string
  /** `payment_desk` for the plugin's own actions, `medusa` for Medusa's own capture, mark-as-paid and refund. */
  source: "payment_desk" | "medusa"
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

/** `GET /admin/payment-desk/orders/:id`, as the widgets read it (the server's own type). */
export type OrderPaymentSummary = Omit<ServerOrderPaymentSummary, "refunds"> & {
  /** The EPC QR code (GiroCode) as an SVG document, when the order can be paid by one. */
  qr_svg: string | null
  audit: AuditEntry[]
  refunds: RefundRequest[]
  closure: OrderClosure | null
}

/** How an order was closed. */
export type OrderClosure = {
  id: string
  order_id: string
  actor_type: "user" | "customer" | "system"
  actor_id: string | null
  reason: string
  note: string | null
  refunded_amount: number
  currency_code: string
  source: string
  closed_at: string
}

export type ReceiptMethod = ServerReceiptMethod

export type RecordPaymentBody = {
  amount: number
  method: string
  reference?: string
  received_at?: string
  note?: string
}

/** A refund ledger row. */
export type RefundRequest = {
  id: string
  order_id: string
  payment_id: string
  provider_id: string
  amount: number
  currency_code: string
  status: "pending" | "succeeded" | "failed" | "requires_action" | "awaiting_payout" | "canceled"
  idempotency_key: string
  provider_refund_id: string | null
  medusa_refund_id: string | null
  note: string | null
  attempts: number
  last_error: string | null
  payout_reference: string | null
  requested_at: string
  settled_at: string | null
  created_at: string
}
