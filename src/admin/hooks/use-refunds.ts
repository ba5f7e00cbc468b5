import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { PayoutAccountBody } from "../components/payee-fields"
import { sdk } from "../lib/sdk"
import type { OrderPaymentSummary, RefundRequest } from "../lib/types"
import { orderPaymentSummaryKey } from "./use-order-payment-summary"

const refundsKey = ["payment-desk", "refunds"]

function useRefreshAfterMoney(orderId?: string) {
  const queryClient = useQueryClient()
  return async () => {
    if (orderId) {
      await queryClient.invalidateQueries({ queryKey: orderPaymentSummaryKey(orderId) })
    }
    await queryClient.invalidateQueries({ queryKey: refundsKey })
    await queryClient.invalidateQueries({ queryKey: ["orders"] })
    await queryClient.invalidateQueries({ queryKey: ["payment_collections"] })
  }
}

/** Medusa's refund reasons, for the refund form. */
export function useRefundReasons() {
  return useQuery({
    queryKey: ["payment-desk", "refund-reasons"],
    queryFn: () => sdk.admin.refundReason.list({ limit: 100 }),
    staleTime: 60_000,
  })
}

/** Issues a refund; one Idempotency-Key per opened form. */
export function useIssueRefund(orderId: string, idempotencyKey: string) {
  const refresh = useRefreshAfterMoney(orderId)
  return useMutation({
    mutationFn: (body: {
      amount: number
      refund_reason_id?: string
      note?: string
      notify_customer?: boolean
      payout_account?: { name: string; iban: string; bic?: string }
    }) =>
      sdk.client.fetch<{ refund_request: RefundRequest; summary: OrderPaymentSummary }>(
        `/admin/payment-desk/orders/${orderId}/refunds`,
        { method: "POST", body, headers: { "Idempotency-Key": idempotencyKey } }
      ),
    onSuccess: refresh,
  })
}

/**
 * Retries a failed refund. The Idempotency-Key names the row and the attempt
 * being retried, so a second click on the same confirmation replays the
 * first answer instead of running again.
 */
export function useRetryRefund(orderId?: string) {
  const refresh = useRefreshAfterMoney(orderId)
  return useMutation({
    mutationFn: ({ id, attempts }: { id: string; attempts: number }) =>
      sdk.client.fetch<{ refund_request: RefundRequest }>(`/admin/payment-desk/refunds/${id}/retry`, {
        method: "POST",
        body: {},
        headers: { "Idempotency-Key": `retry-${id}-after-${attempts}` },
      }),
    onSuccess: refresh,
  })
}

/** Records that a manual refund was paid out. */
export function useRecordPayout(orderId?: string) {
  const refresh = useRefreshAfterMoney(orderId)
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; reference: string; paid_at?: string; note?: string }) =>
      sdk.client.fetch<{ refund_request: RefundRequest }>(`/admin/payment-desk/refunds/${id}/payout`, {
        method: "POST",
        body,
        headers: { "Idempotency-Key": `payout-${id}` },
      }),
    onSuccess: refresh,
  })
}

/** Sets who a manual refund awaiting payout is paid to; the server refuses once a SEPA export holds the refund (409). */
export function useSetPayoutAccount(orderId?: string) {
  const refresh = useRefreshAfterMoney(orderId)
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, ...body }: PayoutAccountBody & { id: string }) =>
      sdk.client.fetch<{ refund_request: RefundRequest }>(`/admin/payment-desk/refunds/${id}/payout-account`, { method: "POST", body }),
    onSuccess: async () => {
      await refresh()
      // The next SEPA file pays the new account.
      await queryClient.invalidateQueries({ queryKey: ["payment-desk"] })
    },
  })
}

/** The keyset cursors of a refunds page's first and last row. */
export type RefundListCursors = { first: string | null; last: string | null }

/**
 * The ledger across orders, for the Refunds page: filtered by status, a page
 * by `offset`, or the one `after` a cursor of the page before it (read
 * without an offset however deep it is).
 */
export function useRefundList({ after, offset, ...rest }: { status?: string[]; limit: number; offset: number; after?: string }) {
  const query = after ? { ...rest, after } : { ...rest, offset }
  return useQuery({
    queryKey: [...refundsKey, query],
    queryFn: () =>
      sdk.client.fetch<{ refund_requests: RefundRequest[]; count: number; cursors?: RefundListCursors }>("/admin/payment-desk/refunds", {
        query,
      }),
    placeholderData: keepPreviousData,
  })
}
