import { MedusaError } from "@medusajs/framework/utils"
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools"

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
  /** The reference the customer quotes: an ISO 11649 creditor reference (`rf`, default) or the order's display id. */
  reference_format?: ReferenceFormat
  /** Bank accounts the customer pays into, at most one per currency. */
  accounts?: {
    currency: string
    account_holder: string
    iban: string
    bic?: string
    bank_name?: string
  }[]
}

/** How an order's payment reference is formed. */
export type ReferenceFormat = "rf" | "display_id"

/** The formats `reference_format` accepts. */
export const REFERENCE_FORMATS: ReferenceFormat[] = ["rf", "display_id"]

/** A bank account of a method, normalized: IBAN and BIC in electronic form, currency in lower case. */
export type BankAccount = {
  currency: string
  account_holder: string
  iban: string
  bic: string | null
  bank_name: string | null
}

/** The options after defaults were applied; stored on every payment session. */
export type ResolvedManualPaymentMethod = {
  method: string
  display_name: string
  instructions: string
  payment_window_hours: number | null
  currencies: string[]
  reference_format: ReferenceFormat
  accounts: BankAccount[]
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
    reference_format: "rf",
    accounts: [],
  },
  "cash-on-delivery": {
    display_name: "Cash on delivery",
    instructions: "Pay the courier in cash when your order arrives.",
    payment_window_hours: null,
    currencies: [],
    reference_format: "rf",
    accounts: [],
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
    "reference_format",
    "accounts",
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
    reference_format: "rf",
    accounts: [],
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

  const referenceFormat = raw.reference_format ?? defaults.reference_format
  if (!REFERENCE_FORMATS.includes(referenceFormat as ReferenceFormat)) {
    invalid(method, "reference_format", `must be one of ${REFERENCE_FORMATS.map((f) => `"${f}"`).join(", ")}`)
  }

  return {
    method,
    display_name: displayName.trim(),
    instructions,
    payment_window_hours: windowHours,
    currencies: normalized,
    reference_format: referenceFormat as ReferenceFormat,
    accounts: resolveAccounts(method, raw.accounts),
  }
}

const ACCOUNT_KEYS = ["currency", "account_holder", "iban", "bic", "bank_name"]

/** Checks the `accounts` option: IBAN and BIC by their check rules, one account per currency. */
function resolveAccounts(method: string, raw: unknown): BankAccount[] {
  if (raw === undefined || raw === null) {
    return []
  }
  if (!Array.isArray(raw)) {
    invalid(method, "accounts", "must be an array of { currency, account_holder, iban, bic?, bank_name? }")
  }
  const seen = new Set<string>()
  return raw.map((entry: unknown, index) => {
    const at = `accounts[${index}]`
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
      invalid(method, at, "must be an object { currency, account_holder, iban, bic?, bank_name? }")
    }
    const account = entry as Record<string, unknown>
    for (const key of Object.keys(account)) {
      if (!ACCOUNT_KEYS.includes(key)) {
        invalid(method, `${at}.${key}`, `is not a known account field (known: ${ACCOUNT_KEYS.join(", ")})`)
      }
    }
    const currency = account.currency
    if (typeof currency !== "string" || !CURRENCY.test(currency.toLowerCase())) {
      invalid(method, `${at}.currency`, `"${String(currency)}" is not a 3-letter ISO currency code`)
    }
    const code = currency.toLowerCase()
    const which = `(the ${code.toUpperCase()} account)`
    if (seen.has(code)) {
      invalid(method, `${at}.currency`, `${which} repeats a currency: one account per currency`)
    }
    seen.add(code)
    const holder = account.account_holder
    if (typeof holder !== "string" || !holder.trim() || [...holder.trim()].length > 70) {
      invalid(method, `${at}.account_holder`, `${which} must be a name of 1 to 70 characters`)
    }
    const iban = typeof account.iban === "string" ? electronicFormatIBAN(account.iban) : null
    if (!iban || !isValidIBAN(iban)) {
      invalid(method, `${at}.iban`, `"${String(account.iban)}" ${which} is not a valid IBAN`)
    }
    let bic: string | null = null
    if (account.bic !== undefined && account.bic !== null) {
      bic = typeof account.bic === "string" ? account.bic.replace(/\s+/g, "").toUpperCase() : ""
      if (!isValidBIC(bic)) {
        invalid(method, `${at}.bic`, `"${String(account.bic)}" ${which} is not a valid BIC`)
      }
    }
    const bankName = account.bank_name ?? null
    if (bankName !== null && (typeof bankName !== "string" || !bankName.trim())) {
      invalid(method, `${at}.bank_name`, `${which} must be a non-empty string`)
    }
    return {
      currency: code,
      account_holder: holder.trim(),
      iban,
      bic,
      bank_name: bankName === null ? null : bankName.trim(),
    }
  })
}

/** The method's account for a currency, or null when it has none. */
export function accountForCurrency(accounts: BankAccount[], currency: string): BankAccount | null {
  return accounts.find((account) => account.currency === currency.toLowerCase()) ?? null
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
