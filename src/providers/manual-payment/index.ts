import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import ManualPaymentProviderService from "./service"

export * from "./options"
export type { ManualPaymentData, ManualPaymentState } from "./service"
export { ManualPaymentProviderService }

/**
 * The manual payment provider: register it once per method in the payment
 * module's `providers`, e.g. `{ resolve, id: "bank-transfer", options: { method: "bank-transfer", ... } }`.
 */
export default ModuleProvider(Modules.PAYMENT, {
  services: [ManualPaymentProviderService],
})
