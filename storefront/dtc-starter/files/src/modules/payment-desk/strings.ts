// Every text the payment-desk components show, in one place: a store that
// translates its storefront replaces these (or reads them from its own
// i18n) without touching the components.
import type { StoreCloseReason, StoreOrderPaymentStatus, StoreOrderRefund } from "medusa-payment-desk/storefront"

export const paymentDeskStrings = {
  heading: "Payment",
  paymentMethod: "Payment method",
  status: {
    awaiting_payment: "Awaiting payment",
    partially_paid: "Partially paid",
    paid: "Paid",
    closed: "Closed",
  } satisfies Record<StoreOrderPaymentStatus, string>,
  overdue: "Overdue",
  orderTotal: "Order total",
  paid: "Paid",
  refunded: "Refunded",
  amountDue: "Amount due",
  payBy: (date: string) => `Please pay by ${date}.`,
  payByOverdue: (date: string) => `Payment was due on ${date}. Please pay as soon as you can.`,
  stillDue: (amount: string) => `We have received part of your payment: ${amount} is still due.`,
  bankHeading: "Pay by bank transfer",
  bankHint: "Quote the reference exactly, so your payment reaches this order.",
  reference: "Reference",
  accountHolder: "Account holder",
  iban: "IBAN",
  bic: "BIC",
  bankName: "Bank",
  amount: "Amount",
  qrHint: "Scan with your banking app to fill in the transfer.",
  qrAlt: "QR code for the bank transfer",
  copy: "Copy",
  copied: "Copied",
  copyLabel: (what: string) => `Copy ${what}`,
  paidOn: (date: string) => `Paid on ${date}. Thank you!`,
  closedOn: (date: string, reason: string) => `Closed on ${date}: ${reason}.`,
  closeReason: {
    customer_request: "you asked us to cancel it",
    payment_timeout: "the payment did not arrive in time",
    out_of_stock: "an item is out of stock",
    fraud_suspected: "closed by the store",
    other: "closed by the store",
  } as Record<StoreCloseReason, string>,
  refund: (amount: string, status: string) => `Refund of ${amount}: ${status}`,
  refundStatus: {
    pending: "on its way",
    requires_action: "on its way",
    succeeded: "sent",
    awaiting_payout: "the store will transfer it to you",
    failed: "delayed, the store will contact you",
  } satisfies Record<StoreOrderRefund["status"], string>,
  requestOpen: (date: string) => `Cancellation requested on ${date}. The store will answer you by email.`,
  requestDeclined: "The store declined your cancellation request.",
  requestApproved: "The store approved your cancellation request.",
  cancelOrder: "Cancel order",
  requestCancellation: "Request cancellation",
  confirmCancel: "Cancel this order? It cannot be undone.",
  confirmRequest: "Ask the store to cancel this order and refund your payment?",
  noteLabel: "Anything we should know? (optional)",
  confirmCancelButton: "Yes, cancel order",
  confirmRequestButton: "Send request",
  keepOrder: "Keep order",
  cancelled: "Your order was cancelled.",
  requested: "Your request was sent to the store.",
}

/**
 * A date as the storefront shows it. The order page renders on the server,
 * so dates are shown in UTC, and with the time the zone is named.
 */
export const formatDate = (iso: string, withTime = false) =>
  withTime
    ? `${new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`
    : new Date(iso).toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" })
