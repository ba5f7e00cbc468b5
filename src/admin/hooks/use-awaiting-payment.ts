import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { AwaitingPaymentOrder, Page } from "../lib/types"

/** The query of the Awaiting payment list: a page by `offset`, or the one `after` a cursor of the page before it. */
export type AwaitingPaymentQuery = {
  q?: string
  method?: string
  overdue?: boolean
  order?: string
  limit: number
  offset: number
  after?: string
}

/** The keyset cursors of a page's first and last row (null when the list is sorted by amount due). */
export type AwaitingPaymentCursors = { first: string | null; last: string | null }

/** Orders with money still due, overdue first by default. */
export function useAwaitingPayment({ after, offset, ...rest }: AwaitingPaymentQuery) {
  const query = after ? { ...rest, after } : { ...rest, offset }
  return useQuery({
    queryKey: ["payment-desk", "awaiting-payment", query],
    queryFn: () =>
      sdk.client.fetch<{ orders: AwaitingPaymentOrder[]; cursors?: AwaitingPaymentCursors } & Page>("/admin/payment-desk/awaiting-payment", {
        query: Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== "")),
      }),
    placeholderData: keepPreviousData,
  })
}
