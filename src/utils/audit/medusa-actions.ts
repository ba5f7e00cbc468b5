import { MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import type { AuditEntryInput } from "../../modules/payment-desk/models/audit-entry"
import { methodFromProviderId } from "../../providers/manual-payment/options"

/** A capture or refund row of Medusa's payment module, as read for the audit. */
export type MedusaMoneyRow = {
  id: string
  amount: BigNumberInput
  raw_amount?: BigNumberInput | null
  created_by?: string | null
  created_at: Date | string
  note?: string | null
  refund_reason_id?: string | null
  metadata?: Record<string, unknown> | null
}

/** A payment of an order with its captures and refunds. */
export type MedusaPaymentRead = {
  id: string
  provider_id: string
  amount: BigNumberInput
  raw_amount?: BigNumberInput | null
  currency_code: string
  created_at: Date | string
  /** Whether its payment collection is a cart's (checkout) collection. */
  checkout_collection: boolean
  captures: MedusaMoneyRow[]
  refunds: MedusaMoneyRow[]
}

/** A `payment_recorded` entry of the plugin on one of the payments: what it captured. */
export type PluginReceipt = {
  payment_id: string | null
  capture_id: string | null
  amount: BigNumberInput | null
  created_at: Date | string
}

/** The audit dedupe key of a capture made with Medusa's own buttons. */
export const medusaCaptureKey = (captureId: string) => `medusa:capture:${captureId}`
/** The audit dedupe key of a refund made with Medusa's own buttons. */
export const medusaRefundKey = (refundId: string) => `medusa:refund:${refundId}`

/** Seconds within which a payment authorized and captured in one go counts as Medusa's mark-as-paid. */
export const MARK_AS_PAID_WINDOW_SECONDS = 10
/** Seconds within which an older plugin receipt (recorded before capture ids were kept) matches a capture. */
const LEGACY_RECEIPT_WINDOW_SECONDS = 60

const amountOf = (row: { amount: BigNumberInput; raw_amount?: BigNumberInput | null }) =>
  MathBN.convert(row.raw_amount ?? row.amount)
const time = (value: Date | string) => new Date(value).getTime()

/** Whether a Medusa refund row was written by the plugin's own refund ledger. */
export function isPluginRefund(refund: MedusaMoneyRow): boolean {
  return refund.metadata?.recorded_by === "medusa-payment-desk" || !!refund.metadata?.refund_request_id
}

/** Whether a capture is one the plugin recorded (by its capture id, or for older entries by amount and time). */
export function isPluginCapture(payment: MedusaPaymentRead, capture: MedusaMoneyRow, receipts: PluginReceipt[]): boolean {
  const mine = receipts.filter((receipt) => receipt.payment_id === payment.id)
  if (mine.some((receipt) => receipt.capture_id === capture.id)) {
    return true
  }
  return mine.some(
    (receipt) =>
      !receipt.capture_id &&
      receipt.amount !== null &&
      MathBN.eq(receipt.amount, amountOf(capture)) &&
      Math.abs(time(receipt.created_at) - time(capture.created_at)) <= LEGACY_RECEIPT_WINDOW_SECONDS * 1000
  )
}

/**
 * Medusa's mark-as-paid creates, authorizes and captures a payment in full in
 * one run, on a collection that is no cart's (a checkout's collection is
 * authorized at completion, and mark-as-paid refuses it). Medusa's events
 * do not say which workflow captured, so this is read from the rows.
 */
export function isMarkAsPaid(payment: MedusaPaymentRead, capture: MedusaMoneyRow): boolean {
  return (
    !payment.checkout_collection &&
    payment.captures.length === 1 &&
    MathBN.eq(amountOf(capture), amountOf(payment)) &&
    time(capture.created_at) - time(payment.created_at) <= MARK_AS_PAID_WINDOW_SECONDS * 1000
  )
}

/**
 * The audit entries (source `medusa`) of the captures and refunds of an
 * order's payments that Medusa's own buttons and flows made: the plugin's own
 * receipts and refunds are left out (they have entries of their own). The
 * actor is the admin user Medusa stored on the row (`created_by`), else
 * `system` (e.g. a capture from a provider webhook). Each entry carries a
 * dedupe key per capture or refund, so an event seen twice is recorded once.
 */
export function medusaAuditEntries(input: {
  order_id: string
  payments: MedusaPaymentRead[]
  receipts: PluginReceipt[]
  user_emails: Record<string, string>
  event: string
}): AuditEntryInput[] {
  const entries: (AuditEntryInput & { at: number })[] = []
  for (const payment of input.payments) {
    const method = methodFromProviderId(payment.provider_id) ?? payment.provider_id
    const common = (row: MedusaMoneyRow) => ({
      order_id: input.order_id,
      payment_id: payment.id,
      source: "medusa" as const,
      actor_type: row.created_by ? ("user" as const) : ("system" as const),
      actor_id: row.created_by ?? null,
      actor_email: row.created_by ? input.user_emails[row.created_by] ?? null : null,
      amount: amountOf(row).toNumber(),
      currency_code: payment.currency_code,
      method,
      received_at: row.created_at,
      at: time(row.created_at),
    })
    for (const capture of payment.captures) {
      if (isPluginCapture(payment, capture, input.receipts)) {
        continue
      }
      entries.push({
        ...common(capture),
        action: isMarkAsPaid(payment, capture) ? "medusa_mark_as_paid" : "medusa_capture",
        dedupe_key: medusaCaptureKey(capture.id),
        metadata: { capture_id: capture.id, provider_id: payment.provider_id, event: input.event },
      })
    }
    for (const refund of payment.refunds) {
      if (isPluginRefund(refund)) {
        continue
      }
      entries.push({
        ...common(refund),
        action: "medusa_refund",
        note: refund.note ?? null,
        dedupe_key: medusaRefundKey(refund.id),
        metadata: {
          refund_id: refund.id,
          provider_id: payment.provider_id,
          refund_reason_id: refund.refund_reason_id ?? null,
          event: input.event,
        },
      })
    }
  }
  return entries.sort((a, b) => a.at - b.at).map(({ at: _at, ...entry }) => entry)
}
