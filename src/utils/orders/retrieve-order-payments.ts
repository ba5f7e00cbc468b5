import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { renderQrSvg } from "../bank-transfer/epc-qr"
import { LedgerRefund, OrderPaymentSummary, ReversedCredit, summarizeOrderPayments } from "./order-payment-summary"
import { readOrderPayments } from "./read-order-payments"
import { isManualRefund, refundPayeeOf } from "../refunds/refund-list-view"
import { BankPayer, bankPayersOf } from "../refunds/sepa-payouts"
import { describeAuditEntries } from "../audit/audit-view"
import { actorBrief, describePeople } from "../people/describe-people"
import { closureSystemNote, notesView } from "../notes/system-notes"

/**
 * Reads an order with its payments and returns the plugin's summary, with the
 * EPC QR code as SVG when there is one; 404 when no order matches (a
 * `customer_id` filter makes another customer's order look absent rather than
 * forbidden).
 */
export async function retrieveOrderPaymentSummary(
  scope: MedusaContainer,
  orderId: string,
  filters: { customer_id?: string } = {}
): Promise<OrderPaymentSummary & { customer_id: string | null; qr_svg: string | null }> {
  const [order, ledger] = await Promise.all([
    readOrderPayments(scope, orderId, filters),
    listOrderRefunds(scope, orderId),
  ])
  return { ...(await withQrCode(summarizeOrderPayments(order, ledger))), customer_id: order.customer_id }
}

/** A summary with its EPC QR code rendered as SVG (null when it has no EPC payload). */
export async function withQrCode<T extends OrderPaymentSummary>(summary: T): Promise<T & { qr_svg: string | null }> {
  return { ...summary, qr_svg: summary.epc_payload ? await renderQrSvg(summary.epc_payload) : null }
}

/** The order's refund ledger, newest first. */
export async function listOrderRefunds(scope: MedusaContainer, orderId: string): Promise<LedgerRefund[]> {
  const rows = await scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).listOrderRefundLedger(orderId)
  return rows as unknown as LedgerRefund[]
}

/** The order's audit trail, newest first (at most 200 entries). */
export function listOrderAudit(scope: MedusaContainer, orderId: string) {
  return scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).listOrderAuditTrail(orderId, 200)
}

/** Credits the bank reversed on the order that wait in review (neither booked nor ignored), oldest first. */
export async function listReversedCredits(scope: MedusaContainer, orderId: string): Promise<ReversedCredit[]> {
  const lines = await scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).listBankTransactions(
    { order_id: orderId, direction: "debit", reversal: true, status: ["review", "matched"], refund_request_id: null },
    { select: ["id", "amount", "currency_code", "booking_date"], order: { booking_date: "ASC" }, take: 50 }
  )
  return lines.map((line) => ({
    bank_transaction_id: line.id,
    amount: Number(line.amount),
    currency_code: line.currency_code,
    booking_date: new Date(line.booking_date as unknown as string).toISOString(),
  }))
}

/**
 * The order summary plus the order's audit trail, closure and reversed
 * credits: the admin view of an order. `payer` is who paid the order by bank
 * transfer (the newest recorded credit line with an IBAN), the default payee
 * of its manual refunds; each manual refund carries its `payee` and
 * `needs_payee` as the refunds list does.
 */
export async function retrieveAdminOrderPaymentSummary(scope: MedusaContainer, orderId: string) {
  return withAdminOrderDetails(scope, orderId, await retrieveOrderPaymentSummary(scope, orderId))
}

/**
 * The admin view of an order from a summary already in hand (a money route
 * computes it under the order's lock without reading the order again): the
 * summary with the audit trail, closure, reversed credits, payer and each
 * manual refund's payee added, as {@link retrieveAdminOrderPaymentSummary} answers.
 */
export async function withAdminOrderDetails<S extends { refunds: LedgerRefund[]; customer_id?: string | null }>(
  scope: MedusaContainer,
  orderId: string,
  { customer_id: _customerId, ...summary }: S
) {
  const desk = scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [entries, closures, reversed_credits, payers] = await Promise.all([
    listOrderAudit(scope, orderId),
    desk.listOrderClosures({ order_id: orderId }),
    listReversedCredits(scope, orderId),
    bankPayersOf(scope, [orderId]),
  ])
  const ledger = summary.refunds as (LedgerRefund & { requested_by_type?: string; requested_by_id?: string | null })[]
  const closure = closures[0] ?? null
  // Everyone the widget names, named as the lists name them (one query per kind).
  const actors = [...ledger.map((row) => ({ type: row.requested_by_type, id: row.requested_by_id })), { type: closure?.actor_type, id: closure?.actor_id }]
  const [audit, people] = await Promise.all([
    describeAuditEntries(scope, entries),
    describePeople(scope, {
      users: actors.filter((actor) => actor.type === "user").map((actor) => actor.id),
      customers: actors.filter((actor) => actor.type === "customer").map((actor) => actor.id),
    }),
  ])
  const payer: BankPayer | null = payers.get(orderId) ?? null
  const refunds = ledger.map((row) => {
    const manual = isManualRefund(row)
    return {
      ...row,
      ...refundPayeeOf(row, manual ? payer ?? undefined : undefined, manual),
      requested_by: row.requested_by_type ? actorBrief(people, row.requested_by_type, row.requested_by_id) : null,
      system_note: notesView(row as { metadata?: unknown }).system_note,
    }
  })
  return {
    ...summary,
    refunds,
    audit,
    closure: closure && {
      ...closure,
      actor: actorBrief(people, closure.actor_type, closure.actor_id),
      system_note: closureSystemNote(closure),
    },
    reversed_credits,
    payer,
  }
}
