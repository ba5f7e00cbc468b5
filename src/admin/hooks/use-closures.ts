import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { ClosureRow, CountersOverview, Page } from "../lib/types"

/** The query of the Closed orders list. */
export type ClosuresQuery = {
  q?: string
  reason?: string
  actor_type?: string
  method?: string
  created_at_from?: string
  created_at_to?: string
  limit: number
  offset: number
}

const defined = (query: object) =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== ""))

/** Closed orders, newest first. */
export function useClosures(query: ClosuresQuery) {
  return useQuery({
    queryKey: ["payment-desk", "closures", query],
    queryFn: () =>
      sdk.client.fetch<{ closures: ClosureRow[] } & Page>("/admin/payment-desk/closures", { query: defined(query) }),
    placeholderData: keepPreviousData,
  })
}

/** The closure counters of the last `days` days, per day, and the customers who close the most. */
export function useCountersOverview(days: number) {
  return useQuery({
    queryKey: ["payment-desk", "counters", "overview", days],
    queryFn: () => sdk.client.fetch<CountersOverview>("/admin/payment-desk/counters", { query: { days } }),
  })
}
