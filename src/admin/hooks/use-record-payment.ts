import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { AuditEntry, OrderPaymentSummary, ReceiptMethod, RecordPaymentBody } from "../lib/types"
import { orderPaymentSummaryKey } from "./use-order-payment-summary"

/** The methods a payment can be recorded with. */
export function useReceiptMethods() {
  return useQuery({
    queryKey: ["payment-desk", "receipt-methods"],
    queryFn: () =>
      sdk.client.fetch<{ receipt_methods: ReceiptMethod[] }>("/admin/payment-desk/receipt-methods"),
    staleTime: 60_000,
  })
}

/**
 * Records a payment for an order. One Idempotency-Key per opened form, so a
 * retried submit cannot record the money twice.
 */
export function useRecordPayment(orderId: string, idempotencyKey: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: RecordPaymentBody) =>
      sdk.client.fetch<{ audit_entry: AuditEntry; summary: OrderPaymentSummary }>(
        `/admin/payment-desk/orders/${orderId}/payments`,
        { method: "POST", body, headers: { "Idempotency-Key": idempotencyKey } }
      ),
    onSuccess: async ({ summary }) => {
      queryClient.setQueryData(orderPaymentSummaryKey(orderId), summary)
      // The order page's own sections (summary, payments, activity) read these.
      await queryClient.invalidateQueries({ queryKey: ["orders"] })
      await queryClient.invalidateQueries({ queryKey: ["payment_collections"] })
      // The Payment desk lists (awaiting payment, audit) drop or gain rows.
      await queryClient.invalidateQueries({ queryKey: ["payment-desk", "awaiting-payment"] })
      await queryClient.invalidateQueries({ queryKey: ["payment-desk", "audit"] })
    },
  })
}
