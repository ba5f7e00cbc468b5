import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { formatAmount, formatPayBy, PaymentAccount } from "../bank-transfer/payment-instructions"
import type { OrderPaymentSummary } from "../orders/order-payment-summary"

/** Who an order's emails go to, and the order fields every email carries. */
export type OrderContact = {
  order_id: string
  order_display_id: number | null
  customer_email: string | null
  customer_id: string | null
  currency_code: string
}

/** The order's display id, customer email and currency; null when no order has the id. */
export async function readOrderContact(container: MedusaContainer, orderId: string): Promise<OrderContact | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "display_id", "email", "customer_id", "currency_code"],
    filters: { id: orderId },
  })
  const order = data[0] as
    | { id: string; display_id?: number | null; email?: string | null; customer_id?: string | null; currency_code: string }
    | undefined
  if (!order) {
    return null
  }
  return {
    order_id: order.id,
    order_display_id: order.display_id ?? null,
    customer_email: order.email ?? null,
    customer_id: order.customer_id ?? null,
    currency_code: order.currency_code,
  }
}

/** The fields of an email that name the order and the customer. */
export function orderFields(contact: OrderContact) {
  return {
    order_id: contact.order_id,
    order_display_id: contact.order_display_id,
    customer_email: contact.customer_email,
    currency_code: contact.currency_code,
  }
}

/** What the payment instructions and the reminder tell the customer: how much, by when, to which account, quoting what. */
export type PaymentDetailsEmailData = ReturnType<typeof orderFields> & {
  payment_method: string | null
  payment_method_name: string | null
  amount_due: number
  amount_due_formatted: string
  order_total: number
  order_total_formatted: string
  paid_total: number
  pay_by: string | null
  pay_by_formatted: string | null
  reference: string | null
  account: PaymentAccount | null
  instructions: string | null
  qr_svg: string | null
  epc_payload: string | null
}

/** The payment-details fields of an email from the order's summary (with its QR code). */
export function paymentDetailsData(
  contact: OrderContact,
  summary: OrderPaymentSummary & { qr_svg: string | null }
): PaymentDetailsEmailData {
  return {
    ...orderFields(contact),
    payment_method: summary.payment_method,
    payment_method_name: summary.payment_method_name,
    amount_due: summary.outstanding_amount,
    amount_due_formatted: formatAmount(summary.outstanding_amount, summary.currency_code),
    order_total: summary.total,
    order_total_formatted: formatAmount(summary.total, summary.currency_code),
    paid_total: summary.paid_total,
    pay_by: summary.pay_by,
    pay_by_formatted: summary.pay_by ? formatPayBy(summary.pay_by) : null,
    reference: summary.reference,
    account: summary.account,
    instructions: summary.instructions,
    qr_svg: summary.qr_svg,
    epc_payload: summary.epc_payload,
  }
}

/** The idempotency key of each customer email: one per order, receipt or refund as docs/emails.md says. */
export const emailKeys = {
  instructions: (orderId: string) => `payment-desk-instructions-${orderId}`,
  reminder: (orderId: string) => `payment-desk-reminder-${orderId}`,
  paymentReceived: (auditEntryId: string) => `payment-desk-payment-received-${auditEntryId}`,
  fullyPaid: (orderId: string) => `payment-desk-fully-paid-${orderId}`,
  refund: (kind: "requested" | "succeeded" | "failed", refundRequestId: string) =>
    `payment-desk-refund-${kind}-${refundRequestId}`,
}
