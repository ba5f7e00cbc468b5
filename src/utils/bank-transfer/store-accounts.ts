import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { ConfigModule, MedusaContainer } from "@medusajs/framework/types"
import {
  BankAccount,
  ResolvedManualPaymentMethod,
  resolveManualPaymentMethod,
} from "../../providers/manual-payment/options"

type ProviderEntry = { resolve?: unknown; id?: string; options?: Record<string, unknown> }

/** Whether a payment provider registration is this plugin's manual provider (by path or by package). */
function isManualProvider(entry: ProviderEntry): boolean {
  const resolve = typeof entry.resolve === "string" ? entry.resolve : ""
  return /(^|\/)providers\/manual-payment\/?$/.test(resolve) || /medusa-payment-desk\/providers\/manual-payment/.test(resolve)
}

/**
 * The manual payment methods the store registers, with their options
 * resolved as the provider resolves them: read from the payment module's
 * `providers` in the store's config (the provider instances live inside the
 * payment module's own container, out of reach of the app's).
 */
export function configuredManualMethods(config: ConfigModule): ResolvedManualPaymentMethod[] {
  const declaration = config.modules?.[Modules.PAYMENT]
  const options = (typeof declaration === "object" && declaration ? declaration.options : undefined) as
    | { providers?: ProviderEntry[] }
    | undefined
  return (options?.providers ?? [])
    .filter(isManualProvider)
    .map((entry) => resolveManualPaymentMethod({ method: entry.id, ...(entry.options ?? {}) }))
}

/** A store bank account with the method it belongs to. */
export type StoreBankAccount = BankAccount & { method: string; method_name: string }

/** Every bank account of the store's manual methods (an IBAN listed under two methods counts once, for the first). */
export function storeBankAccounts(container: MedusaContainer): StoreBankAccount[] {
  const config = container.resolve<ConfigModule>(ContainerRegistrationKeys.CONFIG_MODULE)
  const seen = new Set<string>()
  const accounts: StoreBankAccount[] = []
  for (const method of configuredManualMethods(config)) {
    for (const account of method.accounts) {
      const key = `${account.iban}:${account.currency}`
      if (!seen.has(key)) {
        seen.add(key)
        accounts.push({ ...account, method: method.method, method_name: method.display_name })
      }
    }
  }
  return accounts
}
