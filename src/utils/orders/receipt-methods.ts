import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { DEFAULT_METHODS, methodFromProviderId } from "../../providers/manual-payment/options"

/** A method a receipt may be recorded with; `provider_id` for the manual payment methods. */
export type ReceiptMethod = { id: string; label: string; provider_id: string | null }

const label = (id: string) =>
  DEFAULT_METHODS[id]?.display_name ??
  id
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ")

const CACHE_MS = 30_000
// Keyed by the payment module's service, a singleton per app (request scopes differ).
const cache = new WeakMap<object, { at: number; methods: Promise<ReceiptMethod[]> }>()

/**
 * The enabled manual payment methods, then the `receipt_methods` plugin
 * option. Read on every receipt, so kept for 30 s: enabling or disabling a
 * provider takes effect within that time.
 */
export async function listReceiptMethods(container: MedusaContainer): Promise<ReceiptMethod[]> {
  const key = container.resolve(Modules.PAYMENT)
  const cached = cache.get(key)
  if (cached && Date.now() - cached.at < CACHE_MS) {
    return cached.methods
  }
  const methods = loadReceiptMethods(container)
  cache.set(key, { at: Date.now(), methods })
  methods.catch(() => cache.delete(key))
  return methods
}

async function loadReceiptMethods(container: MedusaContainer): Promise<ReceiptMethod[]> {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const providers = await paymentModule.listPaymentProviders({ is_enabled: true })
  const manual = providers
    .map((provider) => ({ id: methodFromProviderId(provider.id), provider_id: provider.id }))
    .filter((entry): entry is { id: string; provider_id: string } => !!entry.id)
  const extra = desk
    .getOptions()
    .receipt_methods.filter((id) => !manual.some((entry) => entry.id === id))
    .map((id) => ({ id, provider_id: null }))
  return [...manual, ...extra].map((entry) => ({ ...entry, label: label(entry.id) }))
}
