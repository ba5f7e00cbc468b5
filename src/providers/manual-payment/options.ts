import { MedusaError } from "@medusajs/framework/utils"

/**
 * Options of one manual payment method, given once per registration of the
 * manual provider in the payment module's `providers` list.
 */
export type ManualPaymentMethodOptions = {
  /** The method's id; must equal the registration `id` (`bank-transfer` → `pp_manual_bank-transfer`). */
  method: string
  /** Name shown to the customer at checkout and to the merchant in the admin. */
  display_name?: string
  /** What the customer has to do: account holder, IBAN, the reference to quote, ... */
  instructions?: string
  /** Hours the customer has to pay after placing the order; `null` for no deadline. */
  payment_window_hours?: number | null
  /** ISO currency codes this method accepts; empty or absent for every currency. */
  currencies?: string[]
}

/** The options after defaults were applied; stored on every payment session. */
export type ResolvedManualPaymentMethod = {
  method: string
  display_name: string
  instructions: string
  payment_window_hours: number | null
  currencies: string[]
}

const METHOD_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const CURRENCY = /^[a-z]{3}$/

/** Methods whose defaults the plugin knows; any other id is allowed with explicit options. */
export const DEFAULT_METHODS: Record<string, Omit<ResolvedManualPaymentMethod, "method">> = {
  "bank-transfer": {
    display_name: "Bank transfer",
    instructions:
      "Transfer the order total to our bank account and quote the order number as the reference.",
    payment_window_hours: 48,
    currencies: [],
  },
  "cash-on-delivery": {
    display_name: "Cash on delivery",
    instructions: "Pay the courier in cash when your order arrives.",
    payment_window_hours: null,
    currencies: [],
  },
}

function titleCase(id: string): string {
  return id
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ")
}

function invalid(method: string, field: string, why: string): never {
  throw new MedusaError(
    MedusaError.Types.INVALID_DATA,
    `Manual payment method "${method}": ${field} ${why}`
  )
}

/**
 * Checks one method's options and fills in its defaults; throws a message
 * that names the method and the field at fault.
 */
export function resolveManualPaymentMethod(
  options: Record<string, unknown> | undefined
): ResolvedManualPaymentMethod {
  const raw = options ?? {}
  const method = raw.method
  if (typeof method !== "string" || !METHOD_ID.test(method)) {
    invalid(
      typeof method === "string" && method ? method : "(unnamed)",
      "method",
      "is required and must be a kebab-case id such as \"bank-transfer\" (the same as the provider registration id)"
    )
  }
  const known = [
    "method",
    "display_name",
    "instructions",
    "payment_window_hours",
    "currencies",
  ]
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      invalid(method, key, `is not a known option (known: ${known.join(", ")})`)
    }
  }
  const defaults = DEFAULT_METHODS[method] ?? {
    display_name: titleCase(method),
    instructions: "",
    payment_window_hours: null,
    currencies: [],
  }

  const displayName = raw.display_name ?? defaults.display_name
  if (typeof displayName !== "string" || !displayName.trim()) {
    invalid(method, "display_name", "must be a non-empty string")
  }
  const instructions = raw.instructions ?? defaults.instructions
  if (typeof instructions !== "string") {
    invalid(method, "instructions", "must be a string")
  }
  const windowHours =
    raw.payment_window_hours === undefined
      ? defaults.payment_window_hours
      : raw.payment_window_hours
  if (
    windowHours !== null &&
    (typeof windowHours !== "number" || !Number.isFinite(windowHours) || windowHours <= 0)
  ) {
    invalid(method, "payment_window_hours", "must be a positive number of hours or null")
  }
  const currencies = raw.currencies ?? defaults.currencies
  if (!Array.isArray(currencies)) {
    invalid(method, "currencies", "must be an array of ISO currency codes such as [\"eur\"]")
  }
  const normalized = currencies.map((code) => {
    if (typeof code !== "string" || !CURRENCY.test(code.toLowerCase())) {
      invalid(method, "currencies", `contains "${String(code)}", which is not a 3-letter ISO currency code`)
    }
    return code.toLowerCase()
  })

  return {
    method,
    display_name: displayName.trim(),
    instructions,
    payment_window_hours: windowHours,
    currencies: normalized,
  }
}

/** The provider id Medusa gives a manual method: `pp_manual_<method>`. */
export function manualProviderId(method: string): string {
  return `pp_manual_${method}`
}

/** The method id of a manual provider id, or null for any other provider. */
export function methodFromProviderId(providerId: string | null | undefined): string | null {
  if (!providerId?.startsWith("pp_manual_")) {
    return null
  }
  return providerId.slice("pp_manual_".length)
}

/** `created_at` + the window, or null when the method has no window. */
export function payByDate(
  createdAt: Date | string,
  windowHours: number | null | undefined
): Date | null {
  if (windowHours === null || windowHours === undefined) {
    return null
  }
  return new Date(new Date(createdAt).getTime() + windowHours * 3_600_000)
}
