import { MathBN, MedusaError } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"

/** Stripe's zero-decimal currencies: amounts are sent in whole units. */
const ZERO_DECIMAL = new Set([
  "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
])
/** Stripe's three-decimal currencies: sent in thousandths, and the last digit must be 0. */
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"])
/**
 * Zero-decimal in practice but two-decimal in Stripe's API for backwards
 * compatibility: sent ×100, and only whole units are accepted.
 */
const WHOLE_UNITS_AS_TWO_DECIMAL = new Set(["isk", "huf", "twd"])

/** The exponent Stripe uses for a currency's amounts (not Medusa's own precision). */
export function stripeExponent(currencyCode: string): number {
  const code = currencyCode.toLowerCase()
  if (ZERO_DECIMAL.has(code)) {
    return 0
  }
  return THREE_DECIMAL.has(code) ? 3 : 2
}

/**
 * An amount in Stripe's minor unit for the currency (JPY 5000 → 5000, EUR
 * 12.5 → 1250, KWD 1.25 → 1250, HUF 100 → 10000); 400 naming `field` when
 * Stripe cannot represent it (a fraction of a yen, KWD 1.234, HUF 1.5).
 */
export function toStripeAmount(amount: BigNumberInput, currencyCode: string, field = "amount"): number {
  const code = currencyCode.toLowerCase()
  const minor = MathBN.mult(amount, 10 ** stripeExponent(code))
  const whole = Math.round(minor.toNumber())
  const representable =
    MathBN.eq(minor, whole) &&
    (!THREE_DECIMAL.has(code) || whole % 10 === 0) &&
    (!WHOLE_UNITS_AS_TWO_DECIMAL.has(code) || whole % 100 === 0)
  if (!representable) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `${field}: Stripe cannot refund ${MathBN.convert(amount).toString()} ${code.toUpperCase()}` +
        (THREE_DECIMAL.has(code) ? " (its smallest refundable step is 0.01)" : "") +
        (WHOLE_UNITS_AS_TWO_DECIMAL.has(code) || ZERO_DECIMAL.has(code) ? " (whole units only)" : "")
    )
  }
  return whole
}

/** A Stripe minor-unit amount back in the currency's units. */
export function fromStripeAmount(minor: number, currencyCode: string): number {
  return MathBN.div(minor, 10 ** stripeExponent(currencyCode)).toNumber()
}
