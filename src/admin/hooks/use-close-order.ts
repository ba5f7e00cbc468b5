import { useMutation, useQueryClient } from "@tanstack/react-query"
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
      await queryClient.invalidateQueries({ queryKey: ["payment-desk"] })
    },
  })
}
