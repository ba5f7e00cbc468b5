import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import type { StoredPayoutAccount } from "../../modules/payment-desk/payout-exports"
import type { RefundRequestRow } from "../../modules/payment-desk/models/refund-request"
import { methodFromProviderId } from "../../providers/manual-payment/options"
import { storeBankAccounts, StoreBankAccount } from "../bank-transfer/store-accounts"

import { buildSepaCreditTransfer, SepaPayout, SepaPayoutError } from "./sepa-payout-file"
import { sepaName } from "./sepa-name"
import { personName } from "../people/describe-people"

/** One refund a SEPA file pays: the transfer, and the payee account kept on the refund that it was planned with. */
export type PlannedSepaPayout = {
  refund_request_id: string
  order_id: string
  /** The refund's `metadata.payout_account` as read (null: the payer of the order's bank line). */
  payout_account: StoredPayoutAccount | null
  payment: SepaPayout
  /** What the export changed to carry the payee (transliterated or cut name); null when nothing. */
  note?: string | null
}

/** Why a refund awaiting payout is not in a SEPA file, as a code the admin says in words. */
export const SEPA_SKIP_CODES = ["not_eur", "no_payee", "payee_name", "invalid_account", "not_awaiting", "re_exported", "taken"] as const
export type SepaSkipCode = (typeof SEPA_SKIP_CODES)[number]

/**
 * A refund a SEPA file does not carry: why (`code`, and `reason` in English
 * words with what to do), and which order, customer and amount it is, so a
 * person can find it without ids.
 */
export type SkippedSepaPayout = {
  refund_request_id: string
  code: SepaSkipCode
  reason: string
  order_id: string | null
  order_display_id?: number | null
  customer_name?: string | null
  amount: string | null
  currency_code: string | null
}

/** The refunds awaiting payout that a SEPA file can carry, the account paying them, and those it cannot (with why). */
export type SepaPayoutBatch = {
  debtor: StoreBankAccount | null
  payouts: PlannedSepaPayout[]
  skipped: SkippedSepaPayout[]
}

/** A skipped refund's facts from its ledger row. */
function skippedOf(row: { id: string; order_id: string; amount: unknown; currency_code: string }, code: SepaSkipCode, reason: string): SkippedSepaPayout {
  return {
    refund_request_id: row.id,
    code,
    reason,
    order_id: row.order_id,
    amount: MathBN.convert(row.amount as never).toFixed(2),
    currency_code: row.currency_code,
  }
}

/**
 * Adds each skipped refund's order number and customer (name, else email),
 * one query for all of them, so messages and the admin name orders, not ids.
 */
export async function describeSkippedPayouts(container: MedusaContainer, skipped: SkippedSepaPayout[]): Promise<SkippedSepaPayout[]> {
  const orderIds = [...new Set(skipped.map((s) => s.order_id).filter((id): id is string => !!id))]
  if (!orderIds.length) {
    return skipped
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "display_id", "email", "customer.first_name", "customer.last_name", "customer.email"],
    filters: { id: orderIds },
  })
  type Row = { id: string; display_id: number | null; email: string | null; customer?: { first_name?: string | null; last_name?: string | null; email?: string | null } | null }
  const orders = new Map((data as Row[]).map((order) => [order.id, order]))
  return skipped.map((entry) => {
    const order = entry.order_id ? orders.get(entry.order_id) : undefined
    return {
      ...entry,
      order_display_id: order?.display_id ?? null,
      customer_name: personName(order?.customer ?? null) ?? order?.email ?? null,
    }
  })
}

/** The skipped refunds in one English sentence each: "order #12 (Grace Hopper, 30.00 EUR): <why>". */
export function skippedPayoutsText(skipped: SkippedSepaPayout[]): string {
  return skipped
    .map((s) => {
      const who = [s.customer_name, s.amount && s.currency_code ? `${s.amount} ${s.currency_code.toUpperCase()}` : null].filter(Boolean).join(", ")
      const order = s.order_display_id !== null && s.order_display_id !== undefined ? `order #${s.order_display_id}` : "a refund"
      return `${order}${who ? ` (${who})` : ""}: ${s.reason}`
    })
    .join("; ")
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

/** The payee account kept on a refund (`metadata.payout_account`), or null. */
export function payoutAccountOf(row: { metadata?: unknown }): StoredPayoutAccount | null {
  return ((row.metadata as { payout_account?: StoredPayoutAccount } | null)?.payout_account ?? null) as StoredPayoutAccount | null
}

/** The store's EUR account that pays a refund out: the one of the refund's manual method, else the first. */
function debtorOf(accounts: StoreBankAccount[], providerId: string): StoreBankAccount | null {
  const method = methodFromProviderId(providerId)
  return accounts.find((account) => account.method === method) ?? accounts[0] ?? null
}

/**
 * Gathers the manual refunds awaiting payout in EUR that no SEPA export
 * holds yet, each with the account to pay: the one given with the refund,
 * else the payer's name and IBAN from the bank statement line that paid the
 * order. The refund request id (as {@link endToEndIdOf} spells it) is the
 * end-to-end id, so the statement's debit finds its refund again.
 */
export async function collectSepaPayouts(container: MedusaContainer): Promise<SepaPayoutBatch> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const rows = await desk.listRefundRequests(
    { status: "awaiting_payout", payout_export_id: null },
    { order: { requested_at: "ASC" }, take: 5000 }
  )
  return planSepaPayouts(container, rows as unknown as RefundRequestRow[])
}

/** Who paid an order by bank transfer, as its statement line names them. */
export type BankPayer = { name: string | null; iban: string }

/** The payees of refunds that have no account of their own: the payer of each order's newest recorded bank credit with an IBAN. */
export async function bankPayersOf(container: MedusaContainer, orderIds: string[]): Promise<Map<string, BankPayer>> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const lines = orderIds.length
    ? await desk.listBankTransactions(
        { order_id: orderIds, direction: "credit", status: "recorded" },
        { order: { booking_date: "DESC" } }
      )
    : []
  const payers = new Map<string, BankPayer>()
  for (const line of lines) {
    if (line.order_id && line.counterparty_iban && !payers.has(line.order_id)) {
      payers.set(line.order_id, { name: line.counterparty_name ?? null, iban: line.counterparty_iban })
    }
  }
  return payers
}

/** The SEPA transfers of the given refunds awaiting payout, and those that cannot be paid by one (with why). */
async function planSepaPayouts(container: MedusaContainer, rows: RefundRequestRow[]): Promise<SepaPayoutBatch> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const orderIds = [...new Set(rows.map((row) => row.order_id))]
  const [payers, orders] = await Promise.all([
    bankPayersOf(container, orderIds),
    orderIds.length
      ? query.graph({ entity: "order", fields: ["id", "display_id"], filters: { id: orderIds } }).then((r) => r.data)
      : Promise.resolve([]),
  ])
  const displayIds = new Map((orders as { id: string; display_id: number }[]).map((o) => [o.id, o.display_id]))
  const accounts = storeBankAccounts(container).filter((account) => account.currency === "eur")

  const skipped: SepaPayoutBatch["skipped"] = []
  const payouts: PlannedSepaPayout[] = []
  let debtor: StoreBankAccount | null = null
  for (const row of rows) {
    if (row.currency_code.toLowerCase() !== "eur") {
      skipped.push(
        skippedOf(row, "not_eur", `SEPA pays euros only and this refund is in ${row.currency_code.toUpperCase()}: pay it out another way and record the payout`)
      )
      continue
    }
    const given = payoutAccountOf(row)
    const payer = payers.get(row.order_id)
    const name = given?.name ?? payer?.name ?? null
    const iban = given?.iban ?? payer?.iban ?? null
    if (!name || !iban) {
      skipped.push(
        skippedOf(row, "no_payee", "nobody to pay: add the payee's name and IBAN to the refund on the order's page, or import the bank statement that paid the order")
      )
      continue
    }
    const payee = sepaName(name)
    if (payee.name === null) {
      skipped.push(skippedOf(row, "payee_name", `${payee.reason}: correct the payee's name on the refund`))
      continue
    }
    debtor = debtor ?? debtorOf(accounts, row.provider_id)
    payouts.push({
      refund_request_id: row.id,
      order_id: row.order_id,
      payout_account: given,
      note: payee.note,
      payment: {
        end_to_end_id: endToEndIdOf(row.id),
        amount: MathBN.convert(row.amount as never).toFixed(2),
        currency_code: "eur",
        creditor_name: payee.name,
        creditor_iban: iban,
        creditor_bic: given?.bic ?? null,
        remittance: `Refund order ${displayIds.get(row.order_id) ?? ""}`.trim(),
      },
    })
  }
  return { debtor, payouts, skipped }
}

/**
 * The payments of an earlier export again, for an explicit re-export: each
 * refund of that export still awaiting payout and still held by it, with
 * the transfer exactly as that file wrote it. 404 for an unknown export; 409
 * when none of its refunds can be paid again (paid out since, or re-exported
 * in a later file, which is the one to repeat).
 */
export async function collectSepaReExport(container: MedusaContainer, exportId: string): Promise<SepaPayoutBatch> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [earlier] = await desk.listPayoutExports({ id: exportId })
  if (!earlier) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `export_id: no SEPA payout export with id ${exportId}`)
  }
  const written = ((earlier.payments as { payments?: SepaPayout[] } | null)?.payments ?? []) as SepaPayout[]
  const ids = ((earlier.refund_request_ids as { ids?: string[] } | null)?.ids ?? []) as string[]
  const rows = (await desk.listRefundRequests({ id: ids })) as unknown as RefundRequestRow[]
  const accounts = storeBankAccounts(container).filter((account) => account.currency === "eur")
  const skipped: SepaPayoutBatch["skipped"] = []
  const payouts: PlannedSepaPayout[] = []
  let debtor: StoreBankAccount | null = null
  for (const id of ids) {
    const row = rows.find((r) => r.id === id)
    const payment = written.find((p) => p.end_to_end_id === endToEndIdOf(id))
    if (!row || !payment || row.status !== "awaiting_payout") {
      const reason = `it is ${row?.status ?? "gone"} now: only a refund awaiting payout is paid again`
      skipped.push(
        row
          ? skippedOf(row, "not_awaiting", reason)
          : { refund_request_id: id, code: "not_awaiting", reason, order_id: null, amount: null, currency_code: null }
      )
      continue
    }
    if (row.payout_export_id !== earlier.id) {
      skipped.push(skippedOf(row, "re_exported", "it went into a later SEPA file: download that file again"))
      continue
    }
    debtor = debtor ?? debtorOf(accounts, row.provider_id)
    payouts.push({ refund_request_id: id, order_id: row.order_id, payout_account: payoutAccountOf(row), payment })
  }
  if (!payouts.length) {
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      `The SEPA file ${earlier.message_id} has no refund left to pay again: ${skippedPayoutsText(await describeSkippedPayouts(container, skipped))}`
    )
  }
  return { debtor, payouts, skipped }
}

/**
 * The payouts of a batch a SEPA file can carry: each is checked on its own
 * (IBAN, BIC, amount, the `sepa` library's rules), and one that cannot be
 * paid moves to `skipped` with its reason instead of refusing every other
 * payout of the file. Without a debtor account the batch is answered as is.
 */
export function exportableSepaPayouts(batch: SepaPayoutBatch): SepaPayoutBatch {
  const { debtor } = batch
  if (!debtor) {
    return batch
  }
  const skipped = [...batch.skipped]
  const today = new Date().toISOString().slice(0, 10)
  const payouts = batch.payouts.filter((payout) => {
    try {
      buildSepaCreditTransfer({
        message_id: "PD-CHECK",
        created_at: new Date(),
        execution_date: today,
        debtor: { name: sepaName(debtor.account_holder).name ?? debtor.account_holder, iban: debtor.iban, bic: debtor.bic },
        payments: [payout.payment],
      })
      return true
    } catch (error) {
      if (!(error instanceof SepaPayoutError) || error.payment_index === null) {
        throw error
      }
      skipped.push({
        refund_request_id: payout.refund_request_id,
        code: "invalid_account",
        reason: `the payee's account cannot go into a SEPA file (${error.message.replace(/^SEPA payout payments\[0\] /, "")}): correct it on the refund`,
        order_id: payout.order_id,
        amount: payout.payment.amount,
        currency_code: payout.payment.currency_code,
      })
      return false
    }
  })
  return { debtor, payouts, skipped }
}
