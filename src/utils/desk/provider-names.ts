import { DEFAULT_METHODS, methodFromProviderId } from "../../providers/manual-payment/options"

const titleCase = (id: string) =>
  id
    .split(/[-_]/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ")

/**
 * A payment provider's name for people: a manual method's display name
 * (given, else the plugin's default, else its id in title case), "Stripe"
 * for Medusa's Stripe providers, never a `pp_...` id.
 */
export function providerName(providerId: string | null | undefined, displayName?: string | null): string | null {
  if (!providerId) {
    return null
  }
  const method = methodFromProviderId(providerId)
  if (method) {
    return displayName || DEFAULT_METHODS[method]?.display_name || titleCase(method)
  }
  if (providerId === "pp_system_default") {
    return "Manual (Medusa)"
  }
  if (/^pp_stripe/.test(providerId)) {
    return "Stripe"
  }
  const bare = providerId.replace(/^pp_/, "").split("_")[0]
  return titleCase(bare)
}

/** A method id as the closure rows store it (`bank-transfer`, or a provider id) for people. */
export function methodName(method: string | null | undefined, displayName?: string | null): string | null {
  if (!method) {
    return null
  }
  return method.startsWith("pp_") ? providerName(method, displayName) : providerName(`pp_manual_${method}`, displayName)
}
