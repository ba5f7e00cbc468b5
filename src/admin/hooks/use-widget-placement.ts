import { useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"

type WidgetPreference = { hidden?: boolean; section?: string; order?: number }
type LayoutAnswer = {
  personal_configuration: { configuration?: { widgets?: Record<string, WidgetPreference> } } | null
  default_configuration: { configuration?: { widgets?: Record<string, WidgetPreference> } } | null
  active_scope?: "personal" | "default"
}

/**
 * Whether the widget should sit first in its column. Medusa 2.21 ignores the
 * `.before` zone suffix and puts widgets after the core sections unless the
 * page's layout configuration orders them; while nobody has placed this
 * widget (Customize page), it asks to come first, and a saved layout wins.
 */
export function usePinnedFirst(zone: string, widgetId: string): boolean {
  const { data } = useQuery({
    queryKey: ["payment-desk", "layout", zone],
    queryFn: () => sdk.client.fetch<LayoutAnswer>(`/admin/layouts/${zone}/configuration`),
    staleTime: 60_000,
    retry: false,
  })
  if (!data) {
    return true
  }
  const active =
    data.active_scope === "default" || !data.personal_configuration
      ? data.default_configuration
      : data.personal_configuration
  return active?.configuration?.widgets?.[`widget:${widgetId}`]?.order === undefined
}
