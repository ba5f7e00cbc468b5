import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { PaymentAccount } from "../bank-transfer/payment-instructions"
import type { OrderPaymentSummary } from "../orders/order-payment-summary"
import { emailDateText, emailMoneyText, languageOf, serverText, type ServerLanguage } from "../i18n/server-text"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

/** Who an order's emails go to, and the order fields every email carries. */
export type OrderContact = {
  order_id: string
  order_display_id: number | null
  customer_email: string | null
  customer_id: string | null
  currency_code: string
  /** The order's own BCP 47 locale (Medusa's `order.locale`), if it has one. */
  locale: string | null
  /**
   * The language the email's texts are in: the order's locale when the
   * plugin speaks it (`de-AT` → `de`), else the option `notifications.language`.
   */
  language: ServerLanguage
}

/** The order's display id, customer email, currency and language; null when no order has the id. */
export async function readOrderContact(container: MedusaContainer, orderId: string): Promise<OrderContact | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "display_id", "email", "customer_id", "currency_code", "locale"],
    filters: { id: orderId },
  })
  const order = data[0] as
    | {
        id: string
        display_id?: number | null
        email?: string | null
        customer_id?: string | null
        currency_code: string
        locale?: string | null
      }
    | undefined
  if (!order) {
    return null
  }
  const fallback = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().notifications.language
  return {
    order_id: order.id,
    order_display_id: order.display_id ?? null,
    customer_email: order.email ?? null,
    customer_id: order.customer_id ?? null,
    currency_code: order.currency_code,
    locale: order.locale ?? null,
    language: languageOf(order.locale, fallback),
  }
}

/** The fields of an email that name the order and the customer, and the language of its texts. */
export function orderFields(contact: OrderContact) {
  return {
    order_id: contact.order_id,
    order_display_id: contact.order_display_id,
    customer_email: contact.customer_email,
    currency_code: contact.currency_code,
    locale: contact.locale,
    language: contact.language,
  }
}

/** An amount of an email, in the email's language: `"110.00 EUR"`, `"110,00 €"`. */
export function emailAmount(contact: OrderContact, amount: number | string, currency = contact.currency_code): string {
  return emailMoneyText(contact.language, amount, currency)
}

/**
 * When a refund reaches the customer, in the email's language: a manual
 * method's refund when the merchant pays it out (or that it has been), a
 * provider's in 5–10 business days.
 */
export function refundArrivesText(language: ServerLanguage, how: "payout" | "paid_out" | "card"): string {
  const key = { payout: "emails.refundArrivesPayout", paid_out: "emails.refundArrivesPaidOut", card: "emails.refundArrivesCard" }[how]
  return serverText(language, key)
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
    amount_due_formatted: emailAmount(contact, summary.outstanding_amount, summary.currency_code),
    order_total: summary.total,
    order_total_formatted: emailAmount(contact, summary.total, summary.currency_code),
    paid_total: summary.paid_total,
    pay_by: summary.pay_by,
    pay_by_formatted: summary.pay_by ? emailDateText(contact.language, summary.pay_by) : null,
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
