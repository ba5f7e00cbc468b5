import type { CloseReason } from "../../modules/payment-desk/models/order-closure"

/** English labels of the close reasons, for lists, counters and emails (the admin imports the same map). */
export const CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  customer_request: "Customer request",
  payment_timeout: "Payment not received in time",
  out_of_stock: "Out of stock",
  fraud_suspected: "Suspected fraud",
  other: "Other",
}

/** The label of a close reason; an unknown one (a newer plugin's) is shown as it is. */
export function closeReasonLabel(reason: string | null | undefined): string | null {
  if (!reason) {
    return null
  }
  return CLOSE_REASON_LABELS[reason as CloseReason] ?? reason
}
