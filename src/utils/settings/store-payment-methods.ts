import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { methodFromProviderId } from "../../providers/manual-payment/options"
import type { StorePaymentDeskMethod } from "../../storefront/types"
import { manualMethodOf } from "./payment-desk-settings"

/**
 * The plugin's manual methods a region offers at checkout, in the order of
 * Medusa's `GET /store/payment-providers`: enabled, and accepting the
 * region's currency. Medusa lists the providers by id only; this adds what a
 * customer reads (the merchant's display name) and what the storefront
 * shows after the order (`kind`). 404 when the region does not exist.
 */
export async function listStorePaymentMethods(scope: MedusaContainer, regionId: string): Promise<StorePaymentDeskMethod[]> {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "region",
    fields: ["id", "currency_code", "payment_providers.id", "payment_providers.is_enabled"],
    filters: { id: regionId },
  })
  const region = data[0] as
    | { currency_code: string; payment_providers?: ({ id: string; is_enabled: boolean } | null)[] }
    | undefined
  if (!region) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Region with id: ${regionId} was not found`)
  }
  const currency = region.currency_code.toLowerCase()
  const methods: StorePaymentDeskMethod[] = []
  for (const provider of region.payment_providers ?? []) {
    if (!provider?.is_enabled || !methodFromProviderId(provider.id)) continue
    const method = manualMethodOf(scope, provider.id)
    if (!method || (method.currencies.length && !method.currencies.includes(currency))) continue
    methods.push({
      provider_id: provider.id,
      method: method.method,
      display_name: method.display_name,
      kind: method.accounts.some((account) => account.currency === currency) ? "bank_transfer" : "manual",
      payment_window_hours: method.payment_window_hours,
    })
  }
  return methods
}
