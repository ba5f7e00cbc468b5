import { isKnownCurrency } from "../../modules/payment-desk/bank-codes"
import { BankStatementError } from "./errors"

/** The number of decimals a currency has (EUR 2, JPY 0, KWD 3), from the runtime's ISO 4217 data. */
export function currencyDecimals(currencyCode: string): number {
  const code = currencyCode.toUpperCase()
  let decimals = DECIMALS.get(code)
  if (decimals === undefined) {
    // A NumberFormat per call cost ~30 µs a statement line; the answer never changes.
    decimals = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2
    DECIMALS.set(code, decimals)
  }
  return decimals
}
const DECIMALS = new Map<string, number>()

/** Where an amount came from, for the error message. */
export type AmountContext = {
  file_name: string
  line: number
  field: string
  unit?: "line" | "entry"
}

/**
 * A plain decimal (`"110"`, `"110.5"`, `"0.99"`; dot, no sign) as the
 * statement line's amount: exactly the currency's decimals (`"110.50"`).
 * More decimals than the currency has, or anything that is not such a
 * number, is an error naming the field; `shown` is the amount as the file wrote it.
 */
export function statementAmount(plain: string, currencyCode: string, context: AmountContext, shown = plain): string {
  const fail = (message: string): never => {
    throw new BankStatementError({ ...context, message })
  }
  const match = /^([0-9]+)(?:\.([0-9]*))?$/.exec(plain)
  if (!match) {
    fail(`${context.field} "${shown}" is not an amount`)
  }
  const code = currencyCode.toUpperCase()
  if (!isKnownCurrency(code)) {
    fail(`currency "${currencyCode}" is not an ISO 4217 currency code`)
  }
  const decimals = currencyDecimals(code)
  const [, whole, fraction = ""] = match as RegExpExecArray
  const significant = fraction.replace(/0+$/, "")
  if (significant.length > decimals) {
    fail(`${context.field} "${shown}" has more decimals than ${code} allows (${decimals})`)
  }
  const integer = whole.replace(/^0+(?=[0-9])/, "")
  return decimals === 0 ? integer : `${integer}.${significant.padEnd(decimals, "0")}`
}

/** Whether a statement amount (as returned by {@link statementAmount}) is zero. */
export function isZeroAmount(amount: string): boolean {
  return /^0(?:\.0*)?$/.test(amount)
}
