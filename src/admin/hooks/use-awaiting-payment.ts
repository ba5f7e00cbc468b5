import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { AwaitingPaymentOrder, Page } from "../lib/types"

/** The query of the Awaiting payment list. */
export type AwaitingPaymentQuery = {
  q?: string
  method?: string
  overdue?: boolean
  order?: string
  limit: number
  offset: number
}

/** Orders with money still due, overdue first by default. */
export function useAwaitingPayment(query: AwaitingPaymentQuery) {
  return useQuery({
    queryKey: ["payment-desk", "awaiting-payment", query],
    queryFn: () =>
      sdk.client.fetch<{ orders: AwaitingPaymentOrder[] } & Page>("/admin/payment-desk/awaiting-payment", {
        query: Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== "")),
      }),
    placeholderData: keepPreviousData,
  })
}
