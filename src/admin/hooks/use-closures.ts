import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { ClosureRow, CountersOverview, Page } from "../lib/types"

/** The query of the Closed orders list: a page by `offset`, or the one `after` a cursor of the page before it. */
export type ClosuresQuery = {
  q?: string
  reason?: string
  actor_type?: string
  method?: string
  created_at_from?: string
  created_at_to?: string
  limit: number
  offset: number
  after?: string
}

/** The keyset cursors of a closed-orders page's first and last row. */
export type ClosuresCursors = { first: string | null; last: string | null }

const defined = (query: object) =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== ""))

/** Closed orders, newest first; a page after a cursor is read without an offset however deep it is. */
export function useClosures({ after, offset, ...rest }: ClosuresQuery) {
  const query = after ? { ...rest, after } : { ...rest, offset }
  return useQuery({
    queryKey: ["payment-desk", "closures", query],
    queryFn: () =>
      sdk.client.fetch<{ closures: ClosureRow[]; cursors?: ClosuresCursors } & Page>("/admin/payment-desk/closures", {
        query: defined(query),
      }),
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
