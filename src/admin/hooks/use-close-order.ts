import { useMutation, useQueryClient } from "@tanstack/react-query"
import type { PayoutAccountBody } from "../components/payee-fields"
import { sdk } from "../lib/sdk"
import type { OrderClosure, OrderPaymentSummary } from "../lib/types"
import { orderPaymentSummaryKey } from "./use-order-payment-summary"

/** Closes an order (refunding first); one Idempotency-Key per opened form. */
export function useCloseOrder(orderId: string, idempotencyKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: { reason: string; note?: string; notify_customer?: boolean; payout_account?: PayoutAccountBody }) =>
      sdk.client.fetch<{ order_closure: OrderClosure; summary: OrderPaymentSummary }>(
        `/admin/payment-desk/orders/${orderId}/close`,
        { method: "POST", body, headers: { "Idempotency-Key": idempotencyKey } }
      ),
    onSuccess: async ({ summary }) => {
      // A money route's summary may leave out `can`: keep what the order route said.
      queryClient.setQueryData<OrderPaymentSummary>(orderPaymentSummaryKey(orderId), (previous) => ({
        ...summary,
        can: summary.can ?? previous?.can,
      }))
      await queryClient.invalidateQueries({ queryKey: ["orders"] })
      await queryClient.invalidateQueries({ queryKey: ["payment_collections"] })
      await queryClient.invalidateQueries({ queryKey: ["payment-desk"] })
    },
  })
}
