import { useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { DeskSettings } from "../lib/types"

type MethodAnswer = Omit<DeskSettings["methods"][number], "id"> & { id?: string; method?: string }
type SettingsAnswer = Partial<Omit<DeskSettings, "methods">> & { methods?: MethodAnswer[]; manual_methods?: MethodAnswer[] }

/** The answer in one shape, whether the server wraps it in `settings` and names the methods `manual_methods` or not. */
function normalize(answer: SettingsAnswer & { settings?: SettingsAnswer }): DeskSettings {
  const settings = answer.settings ?? answer
  const methods = settings.methods ?? settings.manual_methods ?? []
  return {
    methods: methods.map((method) => ({ ...method, id: method.id ?? method.method ?? "", accounts: method.accounts ?? [] })),
    stripe: settings.stripe ?? null,
    jobs: settings.jobs ?? [],
  }
}

/** The plugin's configuration as the admin may see it: methods, accounts (masked), Stripe, jobs. */
export function useDeskSettings() {
  return useQuery({
    queryKey: ["payment-desk", "settings"],
    queryFn: async () => normalize(await sdk.client.fetch<SettingsAnswer & { settings?: SettingsAnswer }>("/admin/payment-desk/settings")),
  })
}
