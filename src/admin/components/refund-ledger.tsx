import { Button, Text, toast, usePrompt } from "@medusajs/ui"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { useRetryRefund } from "../hooks/use-refunds"
import { formatDateTime, formatMoney } from "../lib/format"
import { actorLabel, notesLabel, providerLabel, refundStatusLabel } from "../lib/labels"
import type { RefundRequest } from "../lib/types"
import { NoPayeeBadge, PayoutAccountDrawer } from "./payout-account-drawer"
import { payeeLine } from "../lib/payee"
import { RecordPayoutDrawer } from "./record-payout-drawer"
import { RefundStatusBadge } from "./refund-status-badge"
import { ROW_ACTION_TOAST } from "../lib/toasts"

/** Retry a failed refund, after a confirmation naming the amount. */
export function RetryRefundButton({ refund, orderId }: { refund: RefundRequest; orderId?: string }) {
  const { t, locale } = useDeskTranslation()
  const prompt = usePrompt()
  const retry = useRetryRefund(orderId ?? refund.order_id)
  const onRetry = async () => {
    const money = formatMoney(refund.amount, refund.currency_code, locale)
    if (
      !(await prompt({
        variant: "danger",
        title: t("ledger.retryTitle"),
        description: t("ledger.retryDescription", { amount: money }),
        confirmText: t("ledger.retry"),
        cancelText: t("common.cancel"),
      }))
    ) {
      return
    }
    await retry.mutateAsync({ id: refund.id, attempts: refund.attempts }).then(
      ({ refund_request }) => toast.success(t("ledger.retried", { status: refundStatusLabel(t, refund_request.status) }), ROW_ACTION_TOAST),
      (error: Error) => toast.error(error.message)
    )
  }
  return (
    <Button size="small" variant="secondary" onClick={onRetry} isLoading={retry.isPending} disabled={retry.isPending}>
      {t("ledger.retry")}
    </Button>
  )
}

/** One ledger row with what can be done about it: retry a failure, record a manual payout, add or change its payee. */
export function RefundRow({ refund, orderId }: { refund: RefundRequest; orderId?: string }) {
  const { t, locale } = useDeskTranslation()
  const money = formatMoney(refund.amount, refund.currency_code, locale)
  const details = [
    formatDateTime(refund.requested_at, locale),
    providerLabel(t, refund.provider_id, refund.provider_name),
    refund.reason_label ?? "",
    refund.requested_by ? t("ledger.by", { who: actorLabel(t, refund.requested_by) }) : "",
    refund.attempts > 1 ? t("ledger.attempts", { count: refund.attempts }) : "",
    refund.payout_reference ? t("ledger.paidOut", { reference: refund.payout_reference }) : "",
    refund.payee && refund.status === "awaiting_payout" ? t("payee.to", { payee: payeeLine(refund.payee) }) : "",
  ].filter(Boolean)

  return (
    <li className="flex flex-col gap-y-2 px-6 py-3" data-testid="payment-desk-refund-row">
      <div className="flex items-center justify-between">
        <Text size="small" weight="plus">
          {money}
        </Text>
        <div className="flex items-center gap-x-2">
          <NoPayeeBadge refund={refund} />
          <RefundStatusBadge status={refund.status} />
        </div>
      </div>
      <Text size="xsmall" className="text-ui-fg-subtle" data-testid="payment-desk-refund-details">
        {details.join(" · ")}
      </Text>
      {(refund.note || refund.system_note) && (
        <Text size="xsmall" className="text-ui-fg-subtle">
          {notesLabel(t, refund, locale)}
        </Text>
      )}
      {refund.last_error && refund.status !== "succeeded" && (
        <Text size="xsmall" className="text-ui-fg-error">
          {refund.last_error}
        </Text>
      )}
      {refund.status === "failed" && (
        <div>
          <RetryRefundButton refund={refund} orderId={orderId} />
        </div>
      )}
      {refund.status === "awaiting_payout" && (
        <div className="flex flex-wrap gap-2">
          <RecordPayoutDrawer refund={refund} orderId={orderId} />
          <PayoutAccountDrawer refund={refund} orderId={orderId} />
        </div>
      )}
    </li>
  )
}

/** The order's refund ledger. */
export function RefundLedger({ refunds, orderId }: { refunds: RefundRequest[]; orderId: string }) {
  if (!refunds.length) {
    return null
  }
  return (
    <ul className="divide-y" data-testid="payment-desk-refunds">
      {refunds.map((refund) => (
        <RefundRow key={refund.id} refund={refund} orderId={orderId} />
      ))}
    </ul>
  )
}
