import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { methodFromProviderId } from "../../providers/manual-payment/options"
import { storeBankAccounts, StoreBankAccount } from "../bank-transfer/store-accounts"

import type { SepaPayout } from "./sepa-payout-file"

/** The refunds awaiting payout that a SEPA file can carry, the account paying them, and those it cannot (with why). */
export type SepaPayoutBatch = {
  debtor: StoreBankAccount | null
  payouts: SepaPayout[]
  skipped: { refund_request_id: string; reason: string }[]
}

/**
 * The end-to-end id of a refund's payout: its request id with `-` for `_`,
 * as SEPA ids allow no underscore (`pdref_01J…` → `pdref-01J…`).
 */
export function endToEndIdOf(refundRequestId: string): string {
  return refundRequestId.replace("_", "-")
}

/** The refund request id an end-to-end id names (either spelling), or null when it names none. */
export function refundIdOfEndToEndId(endToEndId: string | null | undefined): string | null {
  const match = /^pdref[-_]([0-9A-Z]{26})$/i.exec(endToEndId?.trim() ?? "")
  return match ? `pdref_${match[1].toUpperCase()}` : null
}

type PayoutAccount = { name?: string; iban?: string; bic?: string | null }

/**
 * Gathers the manual refunds awaiting payout in EUR, each with the account
 * to pay: the one given with the refund, else the payer's name and IBAN
 * from the bank statement line that paid the order. The refund request id
 * (as {@link endToEndIdOf} spells it) is the end-to-end id, so the
 * statement's debit finds its refund again.
 */
export async function collectSepaPayouts(container: MedusaContainer): Promise<SepaPayoutBatch> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const rows = await desk.listRefundRequests({ status: "awaiting_payout" }, { order: { requested_at: "ASC" }, take: 5000 })
  const orderIds = [...new Set(rows.map((row) => row.order_id))]
  const [paidBy, orders] = await Promise.all([
    orderIds.length
      ? desk.listBankTransactions(
          { order_id: orderIds, direction: "credit", status: "recorded" },
          { order: { booking_date: "DESC" } }
        )
      : Promise.resolve([]),
    orderIds.length
      ? query.graph({ entity: "order", fields: ["id", "display_id"], filters: { id: orderIds } }).then((r) => r.data)
      : Promise.resolve([]),
  ])
  const displayIds = new Map((orders as { id: string; display_id: number }[]).map((o) => [o.id, o.display_id]))
  const accounts = storeBankAccounts(container).filter((account) => account.currency === "eur")

  const skipped: SepaPayoutBatch["skipped"] = []
  const payouts: SepaPayout[] = []
  let debtor: StoreBankAccount | null = null
  for (const row of rows) {
    if (row.currency_code.toLowerCase() !== "eur") {
      skipped.push({ refund_request_id: row.id, reason: `SEPA pays euros only; this refund is in ${row.currency_code.toUpperCase()}` })
      continue
    }
    const given = ((row.metadata as { payout_account?: PayoutAccount } | null)?.payout_account ?? null) as PayoutAccount | null
    const payer = paidBy.find((line) => line.order_id === row.order_id && line.counterparty_iban)
    const name = given?.name ?? payer?.counterparty_name ?? null
    const iban = given?.iban ?? payer?.counterparty_iban ?? null
    if (!name || !iban) {
      skipped.push({ refund_request_id: row.id, reason: "No account to pay to: give payout_account with the refund, or import the statement that paid the order" })
      continue
    }
    const method = methodFromProviderId(row.provider_id)
    debtor = debtor ?? accounts.find((account) => account.method === method) ?? accounts[0] ?? null
    payouts.push({
      end_to_end_id: endToEndIdOf(row.id),
      amount: MathBN.convert(row.amount as never).toFixed(2),
      currency_code: "eur",
      creditor_name: name,
      creditor_iban: iban,
      creditor_bic: given?.bic ?? null,
      remittance: `Refund order ${displayIds.get(row.order_id) ?? ""}`.trim(),
    })
  }
  return { debtor, payouts, skipped }
}
