import { useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { DeskSettings } from "../lib/types"

/** The plugin's configuration as the admin may see it: methods, accounts (masked), Stripe, jobs. */
export function useDeskSettings() {
  return useQuery({
    queryKey: ["payment-desk", "settings"],
    queryFn: () => sdk.client.fetch<DeskSettings>("/admin/payment-desk/settings"),
  })
}
