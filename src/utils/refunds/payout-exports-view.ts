import { MathBN } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import type { RefundRequestRow } from "../../modules/payment-desk/models/refund-request"
import { actorBrief, ActorBrief, describePeople } from "../people/describe-people"
import { maskIban } from "../settings/payment-desk-settings"
import type { SepaPayout } from "./sepa-payout-file"
import { collectSepaPayouts, describeSkippedPayouts, exportableSepaPayouts, refundIdOfEndToEndId, SepaPayoutBatch } from "./sepa-payouts"

/** One transfer of a file as the admin shows it: the refund, amount and payee (IBAN masked). */
export type PayoutLineView = { refund_request_id: string; amount: string; creditor_name: string; iban_masked: string; remittance: string }

/** An earlier SEPA export as the admin lists it, with how many of its refunds could be paid again. */
export type PayoutExportView = {
  id: string
  message_id: string
  re_export_of: string | null
  execution_date: string
  payment_count: number
  total: string
  currency_code: string
  exported_by: ActorBrief
  created_at: string
  payments: PayoutLineView[]
  /** Refunds of this file still awaiting payout and still held by it: what a re-export would pay. */
  re_exportable: string[]
}

/** `GET /admin/payment-desk/payouts/sepa/exports`: what the next file would pay (and leave out, with why), and the earlier files. */
export type PayoutExportsView = {
  next_export: {
    payment_count: number
    total: string
    currency_code: string
    payments: PayoutLineView[]
    skipped: SepaPayoutBatch["skipped"]
  }
  payout_exports: PayoutExportView[]
  count: number
  limit: number
  offset: number
}

const lineView = (payment: SepaPayout): PayoutLineView => ({
  refund_request_id: refundIdOfEndToEndId(payment.end_to_end_id) ?? payment.end_to_end_id,
  amount: payment.amount,
  creditor_name: payment.creditor_name,
  iban_masked: maskIban(payment.creditor_iban),
  remittance: payment.remittance,
})

/**
 * What the next SEPA export would pay (and leave out, with why), and the
 * earlier exports, newest first, each with the refunds a re-export would pay.
 */
export async function listPayoutExportsView(
  container: MedusaContainer,
  page: { limit: number; offset: number }
): Promise<PayoutExportsView> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [[rows, count], next] = await Promise.all([
    desk.listAndCountPayoutExports({}, { order: { created_at: "DESC" }, take: page.limit, skip: page.offset }),
    collectSepaPayouts(container).then(exportableSepaPayouts),
  ])
  const refundIds = rows.flatMap((row) => ((row.refund_request_ids as { ids?: string[] } | null)?.ids ?? []) as string[])
  const [refunds, people] = await Promise.all([
    refundIds.length ? (desk.listRefundRequests({ id: refundIds }) as unknown as Promise<RefundRequestRow[]>) : Promise.resolve([]),
    describePeople(container, { users: rows.map((row) => row.exported_by_id) }),
  ])
  const held = new Map(refunds.map((refund) => [refund.id, refund]))
  const payout_exports: PayoutExportView[] = rows.map((row) => {
    const ids = ((row.refund_request_ids as { ids?: string[] } | null)?.ids ?? []) as string[]
    return {
      id: row.id,
      message_id: row.message_id,
      re_export_of: row.re_export_of ?? null,
      execution_date: row.execution_date,
      payment_count: row.payment_count,
      total: MathBN.convert(row.total as never).toFixed(2),
      currency_code: row.currency_code,
      exported_by: actorBrief(people, row.exported_by_type, row.exported_by_id),
      created_at: new Date(row.created_at as Date).toISOString(),
      payments: (((row.payments as { payments?: SepaPayout[] } | null)?.payments ?? []) as SepaPayout[]).map(lineView),
      re_exportable: ids.filter((id) => held.get(id)?.status === "awaiting_payout" && held.get(id)?.payout_export_id === row.id),
    }
  })
  const payments = next.payouts.map((payout) => ({ ...lineView(payout.payment), note: payout.note ?? null }))
  return {
    next_export: {
      payment_count: payments.length,
      total: payments.reduce((sum, p) => MathBN.add(sum, p.amount), MathBN.convert(0)).toFixed(2),
      currency_code: "eur",
      payments,
      skipped: await describeSkippedPayouts(container, next.skipped),
    },
    payout_exports,
    count,
    limit: page.limit,
    offset: page.offset,
  }
}
