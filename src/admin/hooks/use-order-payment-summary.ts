import { useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { OrderPaymentSummary } from "../lib/types"

/** Query key of an order's payment summary; invalidate it after a money action. */
export const orderPaymentSummaryKey = (orderId: string) => ["payment-desk", "order", orderId]

/** The plugin's payment summary of one order. */
export function useOrderPaymentSummary(orderId: string) {
  return useQuery({
    queryKey: orderPaymentSummaryKey(orderId),
    queryFn: () =>
      sdk.client.fetch<OrderPaymentSummary>(`/admin/payment-desk/orders/${orderId}`),
  })
}
