import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { RefundRequestRow } from "../../modules/payment-desk/models/refund-request"
import { actorBrief, ActorBrief, customerBrief, CustomerBrief, describePeople } from "../people/describe-people"
import { providerName } from "../desk/provider-names"
import { maskIban } from "../settings/payment-desk-settings"
import { BankPayer, bankPayersOf, payoutAccountOf } from "./sepa-payouts"
import { notesView, type SystemNote } from "../notes/system-notes"

/** Who a manual refund is paid out to: the account kept on the refund, else the payer of the order's bank line. */
export type RefundPayee = { name: string | null; iban_masked: string; bic: string | null; source: "refund" | "bank_line" }

/** A ledger row with the figures people read: order number, customer, provider, reason and requester. */
export type RefundListRow = RefundRequestRow & {
  order_display_id: number | null
  customer: CustomerBrief
  provider_name: string | null
  /** The Medusa refund reason's label (a merchant's own words). */
  reason_label: string | null
  /** The plugin's own note on the refund (e.g. "Order closed: …"): code, parameters and English text. */
  system_note: (SystemNote & { text: string }) | null
  requested_by: ActorBrief
  /** Manual refunds only (null otherwise, or when no account is known). */
  payee: RefundPayee | null
  /** Awaiting payout with no payee: someone must add the account (`POST …/refunds/:id/payout-account`) before it can be paid. */
  needs_payee: boolean
}

/**
 * Adds the human figures to a page of ledger rows with batched lookups
 * (orders, payments, refund reasons, people): a few queries per
 * page whatever its size.
 */
export async function describeRefundRows(container: MedusaContainer, rows: RefundRequestRow[]): Promise<RefundListRow[]> {
  if (!rows.length) {
    return []
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const orderIds = [...new Set(rows.map((row) => row.order_id))]
  const paymentIds = [...new Set(rows.map((row) => row.payment_id))]
  const reasonIds = [...new Set(rows.map((row) => row.refund_reason_id).filter((id): id is string => !!id))]
  const manual = rows.filter(isManualRefund)
  const [orders, payments, reasons, payers] = await Promise.all([
    query.graph({ entity: "order", fields: ["id", "display_id", "email", "customer_id"], filters: { id: orderIds } }),
    query.graph({ entity: "payment", fields: ["id", "provider_id", "data"], filters: { id: paymentIds } }),
    reasonIds.length
      ? query.graph({ entity: "refund_reason", fields: ["id", "label"], filters: { id: reasonIds } })
      : Promise.resolve({ data: [] as { id: string; label: string }[] }),
    bankPayersOf(container, [...new Set(manual.map((row) => row.order_id))]),
  ])
  type Order = { id: string; display_id: number | null; email: string | null; customer_id: string | null }
  const orderById = new Map((orders.data as Order[]).map((order) => [order.id, order]))
  const paymentById = new Map(
    (payments.data as { id: string; provider_id: string; data: Record<string, unknown> | null }[]).map((p) => [p.id, p])
  )
  const reasonById = new Map((reasons.data as { id: string; label: string }[]).map((reason) => [reason.id, reason.label]))
  const people = await describePeople(container, {
    customers: [
      ...(orders.data as Order[]).map((order) => order.customer_id),
      ...rows.filter((row) => row.requested_by_type === "customer").map((row) => row.requested_by_id),
    ],
    users: rows.filter((row) => row.requested_by_type === "user").map((row) => row.requested_by_id),
  })
  return rows.map((row) => {
    const order = orderById.get(row.order_id)
    const payment = paymentById.get(row.payment_id)
    const displayName = typeof payment?.data?.display_name === "string" ? payment.data.display_name : null
    // A refund made by closing the order says so in its system note ("Order closed: <reason>").
    const reasonLabel = (row.refund_reason_id ? reasonById.get(row.refund_reason_id) : undefined) ?? null
    return {
      ...row,
      order_display_id: order?.display_id ?? null,
      customer: customerBrief(people, order?.customer_id, order?.email),
      provider_name: providerName(row.provider_id, displayName),
      reason_label: reasonLabel,
      system_note: notesView(row).system_note,
      requested_by: actorBrief(people, row.requested_by_type, row.requested_by_id),
      ...refundPayeeOf(row, manual.includes(row) ? payers.get(row.order_id) : undefined, manual.includes(row)),
    }
  })
}

/** A refund paid out by hand: a manual method's, or any refund awaiting a manual payout. */
export function isManualRefund(row: { provider_id: string; status: string }): boolean {
  return row.provider_id.startsWith("pp_manual_") || row.status === "awaiting_payout"
}

/**
 * Who a refund is paid out to (the account kept on it, else the payer of the
 * order's bank line; null for a card refund) and whether someone must add one.
 */
export function refundPayeeOf(
  row: { status: string; metadata?: unknown },
  payer: BankPayer | undefined,
  manual: boolean
): { payee: RefundPayee | null; needs_payee: boolean } {
  const given = payoutAccountOf(row)
  const payee: RefundPayee | null = !manual
    ? null
    : given
      ? { name: given.name, iban_masked: maskIban(given.iban), bic: given.bic ?? null, source: "refund" }
      : payer && payer.name
        ? { name: payer.name, iban_masked: maskIban(payer.iban), bic: null, source: "bank_line" }
        : null
  return { payee, needs_payee: row.status === "awaiting_payout" && !payee }
}
