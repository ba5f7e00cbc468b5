import { BigNumber, defaultCurrencies, MathBN, MedusaError } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { getLastPaymentStatus } from "@medusajs/medusa/core-flows"

type Amounts = { amount: BigNumberInput }

/** A payment with its captures and refunds, as the workflows read it. */
export type PaymentWithMovements = {
  id: string
  provider_id: string
  amount: BigNumberInput
  currency_code: string
  canceled_at?: Date | string | null
  captures?: (Amounts | null)[] | null
  refunds?: (Amounts | null)[] | null
}

const sum = (rows: (Amounts | null)[] | null | undefined) =>
  (rows ?? []).reduce((total, row) => (row ? MathBN.add(total, row.amount) : total), MathBN.convert(0))

/** Captured amount of a payment. */
export const capturedOf = (payment: PaymentWithMovements) => sum(payment.captures)

/** Refunded amount of a payment. */
export const refundedOf = (payment: PaymentWithMovements) => sum(payment.refunds)

/**
 * One payment's state from its own movements: canceled, authorized,
 * partially_captured, captured, partially_refunded or refunded.
 */
export function paymentStatusOf(payment: PaymentWithMovements, extraCaptured: BigNumberInput = 0): string {
  if (payment.canceled_at) {
    return "canceled"
  }
  const captured = MathBN.add(capturedOf(payment), extraCaptured)
  const refunded = refundedOf(payment)
  if (MathBN.gt(refunded, 0)) {
    return MathBN.gte(refunded, captured) ? "refunded" : "partially_refunded"
  }
  if (MathBN.eq(captured, 0)) {
    return "authorized"
  }
  return MathBN.gte(captured, payment.amount) ? "captured" : "partially_captured"
}

/** The order's payment status as Medusa's admin shows it (core `getLastPaymentStatus`). */
export function orderPaymentStatusOf(order: {
  currency_code: string
  payment_collections?: unknown[] | null
}): string {
  return getLastPaymentStatus({
    currency_code: order.currency_code,
    payment_collections: (order.payment_collections ?? []).filter(Boolean),
  } as Parameters<typeof getLastPaymentStatus>[0])
}

/** Decimal places the currency allows (2 when Medusa does not know it). */
export function currencyDecimals(currencyCode: string): number {
  return defaultCurrencies[currencyCode.toUpperCase()]?.decimal_digits ?? 2
}

/** Throws INVALID_DATA when `amount` is not above 0 or has more decimals than the currency allows. */
export function assertMoneyAmount(field: string, amount: number, currencyCode: string): void {
  if (typeof amount !== "number" || !Number.isFinite(amount) || amount <= 0) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${field}: must be a number above 0, got ${amount}`)
  }
  const decimals = currencyDecimals(currencyCode)
  const [, fraction = ""] = new BigNumber(amount).numeric.toString().split(".")
  if (fraction.length > decimals || /e/i.test(String(amount))) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `${field}: ${currencyCode.toUpperCase()} allows at most ${decimals} decimal place${decimals === 1 ? "" : "s"}, got ${amount}`
    )
  }
}
