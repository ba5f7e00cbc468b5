import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { OrderClosure, OrderPaymentSummary } from "../lib/types"
import { orderPaymentSummaryKey } from "./use-order-payment-summary"

/** Closes an order (refunding first); one Idempotency-Key per opened form. */
export function useCloseOrder(orderId: string, idempotencyKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: { reason: string; note?: string; notify_customer?: boolean }) =>
      sdk.client.fetch<{ order_closure: OrderClosure; summary: OrderPaymentSummary }>(
        `/admin/payment-desk/orders/${orderId}/close`,
        { method: "POST", body, headers: { "Idempotency-Key": idempotencyKey } }
      ),
    onSuccess: async ({ summary }) => {
      queryClient.setQueryData(orderPaymentSummaryKey(orderId), summary)
      await queryClient.invalidateQueries({ queryKey: ["orders"] })
      await queryClient.invalidateQueries({ queryKey: ["payment_collections"] })
    },
  })
}

export type Counter = { scope: string; name: string; value: number; updated_at: string }

/** Closure counters. */
export function useCounters(query: { scope?: string; name?: string }) {
  return useQuery({
    queryKey: ["payment-desk", "counters", query],
    queryFn: () =>
      sdk.client.fetch<{ counters: Counter[]; count: number }>("/admin/payment-desk/counters", {
        query: { ...query, limit: 500 },
      }),
  })
}
