import { BigNumber, MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import {
  BankAccount,
  methodFromProviderId,
  payByDate,
  ReferenceFormat,
} from "../../providers/manual-payment/options"
import { bankTransferDetails, PaymentAccount } from "../bank-transfer/payment-instructions"

import type { OrderPayment, OrderPaymentState } from "./read-order-payments"
import type { LedgerRow } from "../refunds/refundable"
import { orderMoney } from "./order-money"

/** One payment as the plugin reports it. */
export type PaymentSummaryLine = {
  id: string
  provider_id: string
  method: string
  amount: number
  captured_at: string | null
  canceled_at: string | null
}

/** What the plugin reports about an order's money (see docs/http-api.md, `GET /admin/payment-desk/orders/:id`). */
export type OrderPaymentSummary = {
  order_id: string
  display_id: number | null
  status: string
  currency_code: string
  total: number
  paid_total: number
  refunded_total: number
  outstanding_amount: number
  refundable_amount: number
  /** Ledger refunds not settled yet: pending or needing action. */
  pending_refund_total: number
  /** Manual refunds recorded but not paid out yet. */
  awaiting_payout_total: number
  payment_method: string | null
  payment_method_name: string | null
  /** The method's instructions, placeholders (`{reference}`, `{amount}`, ...) filled in. */
  instructions: string | null
  pay_by: string | null
  /** What the customer quotes with the transfer: a creditor reference (`RF…`) or the display id. */
  reference: string | null
  /** The account the customer pays into (the method's account for the order's currency). */
  account: PaymentAccount | null
  /** The EPC QR code's payload (euro accounts with money due), else null. */
  epc_payload: string | null
  payments: PaymentSummaryLine[]
  /** The order's refund ledger, newest first. */
  refunds: LedgerRefund[]
}

/**
 * A credit the bank reversed on the order, not booked or ignored yet: the
 * admin warns "A credit of X was reversed by the bank on <date>; review it"
 * with a link to the line.
 */
export type ReversedCredit = {
  bank_transaction_id: string
  amount: number
  currency_code: string
  booking_date: string
}

/** A refund ledger row as the summary carries it. */
export type LedgerRefund = {
  id: string
  payment_id: string
  provider_id: string
  amount: BigNumberInput
  currency_code: string
  status: string
  medusa_refund_id?: string | null
  created_at?: Date | string
  [key: string]: unknown
}

const numeric = (value: BigNumberInput | undefined | null) =>
  new BigNumber(MathBN.convert(value ?? 0)).numeric

const iso = (value: Date | string | null | undefined) =>
  value ? new Date(value).toISOString() : null

function methodOf(payment: OrderPayment): string {
  return methodFromProviderId(payment.provider_id) ?? payment.provider_id
}

/** The payment that stands for the order: the newest one that is not canceled, else the newest. */
export function primaryPayment(order: OrderPaymentState): OrderPayment | null {
  const payments = order.payment_collections
    .flatMap((collection) => collection.payments ?? [])
    .sort((a, b) => new Date(b.created_at ?? 0).getTime() - new Date(a.created_at ?? 0).getTime())
  return payments.find((payment) => !payment.canceled_at) ?? payments[0] ?? null
}

/**
 * Derives the plugin's money figures from an order's payment state. Every
 * figure comes from Medusa's own order summary, so the plugin never disagrees
 * with the order page.
 */
export function summarizeOrderPayments(
  order: OrderPaymentState,
  ledger: LedgerRefund[] = []
): OrderPaymentSummary {
  const summary = order.summary ?? {}
  const pending = MathBN.convert(summary.pending_difference ?? 0)
  // A canceled order expects no more money, whatever its books still show.
  const outstanding =
    order.status !== "canceled" && MathBN.gt(pending, 0) ? pending : MathBN.convert(0)
  // Per payment, canceled ones included: captured − ledger refunds that left,
  // are leaving or may still leave − refunds Medusa made outside the ledger.
  const refundable = orderMoney(order, ledger as LedgerRow[]).refundable
  const ledgerTotal = (statuses: string[]) =>
    ledger
      .filter((row) => statuses.includes(row.status))
      .reduce((sum, row) => MathBN.add(sum, row.amount), MathBN.convert(0))
  const payment = primaryPayment(order)
  const manual = payment && methodFromProviderId(payment.provider_id) ? payment.data ?? {} : null
  const windowHours =
    manual && typeof manual.payment_window_hours === "number" ? manual.payment_window_hours : null
  const payments = order.payment_collections
    .flatMap((collection) => collection.payments ?? [])
    .map((line) => ({
      id: line.id,
      provider_id: line.provider_id,
      method: methodOf(line),
      amount: numeric(line.amount),
      captured_at: iso(line.captured_at),
      canceled_at: iso(line.canceled_at),
    }))

  const payBy = manual ? iso(payByDate(order.created_at, windowHours)) : null
  const bank =
    manual && typeof manual.instructions === "string"
      ? bankTransferDetails({
          display_id: order.display_id ?? null,
          currency_code: order.currency_code,
          amount_due: outstanding,
          pay_by: payBy,
          instructions: manual.instructions,
          reference_format: manual.reference_format as ReferenceFormat | undefined,
          account: (manual.account as BankAccount | null | undefined) ?? null,
        })
      : null

  return {
    order_id: order.id,
    display_id: order.display_id ?? null,
    status: order.status,
    currency_code: order.currency_code,
    // The summary's current total is Medusa's order total without computing
    // every line again; it is also what the outstanding amount is measured on.
    total: numeric(summary.current_order_total),
    paid_total: numeric(summary.paid_total),
    refunded_total: numeric(summary.refunded_total),
    outstanding_amount: new BigNumber(outstanding).numeric,
    refundable_amount: new BigNumber(refundable).numeric,
    pending_refund_total: new BigNumber(ledgerTotal(["pending", "requires_action"])).numeric,
    awaiting_payout_total: new BigNumber(ledgerTotal(["awaiting_payout"])).numeric,
    payment_method: payment ? methodOf(payment) : null,
    payment_method_name: manual && typeof manual.display_name === "string" ? manual.display_name : null,
    instructions: bank?.instructions ?? null,
    pay_by: payBy,
    reference: bank?.reference ?? null,
    account: bank?.account ?? null,
    epc_payload: bank?.epc_payload ?? null,
    payments,
    refunds: ledger,
  }
}
