import { BigNumber, ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import type { BigNumberInput, MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import { OPEN_OR_DONE_REFUND_STATUSES } from "../../modules/payment-desk/models/refund-request"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

const sum = (rows: { amount: BigNumberInput }[]) =>
  rows.reduce((total, row) => MathBN.add(total, row.amount), MathBN.convert(0))

/** A ledger row as the refundable computation reads it. */
export type LedgerRow = {
  id: string
  payment_id: string
  status: string
  amount: BigNumberInput
  medusa_refund_id?: string | null
}

/**
 * What can still be refunded on one payment: captured − ledger refunds that
 * left, are leaving or may still leave − Medusa refunds the ledger did not
 * make (a Medusa refund is the ledger's when a row names it, or when it
 * carries a row's id in its metadata: booked by a run that died before the
 * row was updated). `excludeId`: a row being retried does not count.
 */
export function refundableOf(
  payment: {
    id: string
    captures?: { amount: BigNumberInput }[] | null
    refunds?: { id: string; amount: BigNumberInput; metadata?: Record<string, unknown> | null }[] | null
  },
  ledger: LedgerRow[],
  excludeId?: string | null
) {
  const ledgerIds = new Set(ledger.map((row) => row.id))
  const named = new Set(ledger.map((row) => row.medusa_refund_id).filter(Boolean))
  const captured = sum(payment.captures ?? [])
  const ledgerOpenOrDone = sum(
    ledger.filter(
      (row) =>
        row.payment_id === payment.id &&
        row.id !== excludeId &&
        (OPEN_OR_DONE_REFUND_STATUSES as string[]).includes(row.status)
    )
  )
  const outside = sum(
    (payment.refunds ?? []).filter(
      (refund) => !named.has(refund.id) && !ledgerIds.has(String(refund.metadata?.refund_request_id ?? ""))
    )
  )
  const left = MathBN.sub(MathBN.sub(captured, ledgerOpenOrDone), outside)
  return {
    captured,
    ledger_open_or_done: ledgerOpenOrDone,
    refunded_outside_ledger: outside,
    refundable: MathBN.gt(left, 0) ? left : MathBN.convert(0),
  }
}

/** A payment with what a refund needs to know about it. */
export type RefundablePayment = {
  id: string
  provider_id: string
  currency_code: string
  payment_collection_id: string
  data: Record<string, unknown> | null
  captured: BigNumberInput
  /** Ledger refunds pending, succeeded, awaiting payout or needing action. */
  ledger_open_or_done: BigNumberInput
  /** Refunds in Medusa the ledger did not make (e.g. Medusa's own refund route). */
  refunded_outside_ledger: BigNumberInput
  refundable: BigNumberInput
}

/**
 * What can still be refunded on a payment: captured − every ledger refund
 * that has left, is leaving or may still leave − refunds made outside the
 * ledger. Read under the order's lock.
 */
export async function readRefundablePayment(
  container: MedusaContainer,
  paymentId: string,
  /** A ledger row being retried: its own amount is not counted against it. */
  excludeRefundRequestId?: string | null
): Promise<RefundablePayment> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  // The payment with its live captures and refunds in one statement (the
  // payment module's ORM read of the same rows costs ten times as much).
  const [{ rows }, ledger] = await Promise.all([
    pg.raw(
      `select p.id, p.provider_id, p.currency_code, p.payment_collection_id, p.data,
              coalesce((select json_agg(json_build_object('amount', c.raw_amount) order by c.created_at, c.id)
                          from capture c where c.payment_id = p.id and c.deleted_at is null), '[]'::json) as captures,
              coalesce((select json_agg(json_build_object('id', r.id, 'amount', r.raw_amount, 'metadata', r.metadata) order by r.created_at, r.id)
                          from refund r where r.payment_id = p.id and r.deleted_at is null), '[]'::json) as refunds
         from payment p where p.id = ? and p.deleted_at is null`,
      [paymentId]
    ),
    desk.listRefundRequests({ payment_id: paymentId, status: OPEN_OR_DONE_REFUND_STATUSES }),
  ])
  type Raw = { value: string; precision?: number }
  const found = rows[0] as
    | {
        id: string
        provider_id: string
        currency_code: string
        payment_collection_id: string
        data: Record<string, unknown> | null
        captures: { amount: Raw }[]
        refunds: { id: string; amount: Raw; metadata: Record<string, unknown> | null }[]
      }
    | undefined
  const payment = found && {
    ...found,
    captures: found.captures.map((capture) => ({ amount: new BigNumber(capture.amount) })),
    refunds: found.refunds.map((refund) => ({ ...refund, amount: new BigNumber(refund.amount) })),
  }
  if (!payment) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment with id: ${paymentId} was not found`)
  }
  return {
    id: payment.id,
    provider_id: payment.provider_id,
    currency_code: payment.currency_code,
    payment_collection_id: payment.payment_collection_id,
    data: (payment.data as Record<string, unknown>) ?? null,
    ...refundableOf(
      payment as Parameters<typeof refundableOf>[0],
      ledger as unknown as LedgerRow[],
      excludeRefundRequestId
    ),
  }
}
