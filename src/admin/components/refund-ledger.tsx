import { Button, Input, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useRecordPayout, useRetryRefund } from "../hooks/use-refunds"
import { formatDateTime, formatMoney } from "../lib/format"
import type { RefundRequest } from "../lib/types"
import { RefundStatusBadge } from "./refund-status-badge"

/** One ledger row with what can be done about it: retry a failure, record a manual payout. */
export function RefundRow({ refund, orderId }: { refund: RefundRequest; orderId?: string }) {
  const prompt = usePrompt()
  const retry = useRetryRefund(orderId)
  const payout = useRecordPayout(orderId)
  const [reference, setReference] = useState("")
  const money = formatMoney(refund.amount, refund.currency_code)

  const onRetry = async () => {
    if (!(await prompt({ title: "Retry this refund?", description: `${money} will be sent to the provider again.`, confirmText: "Retry", cancelText: "Cancel" }))) {
      return
    }
    retry.mutate({ id: refund.id, attempts: refund.attempts }, {
      onSuccess: ({ refund_request }) => toast.success(`Refund ${refund_request.status.replace("_", " ")}`),
      onError: (error: Error) => toast.error(error.message),
    })
  }
  const onPayout = async () => {
    if (!(await prompt({ title: "Record the payout?", description: `You paid ${money} back to the customer (reference ${reference}).`, confirmText: "Record payout", cancelText: "Cancel" }))) {
      return
    }
    payout.mutate(
      { id: refund.id, reference },
      {
        onSuccess: () => toast.success("Payout recorded"),
        onError: (error: Error) => toast.error(error.message),
      }
    )
  }

  return (
    <li className="flex flex-col gap-y-2 px-6 py-3" data-testid="payment-desk-refund-row">
      <div className="flex items-center justify-between">
        <Text size="small" weight="plus">
          {money}
        </Text>
        <RefundStatusBadge status={refund.status} />
      </div>
      <Text size="xsmall" className="text-ui-fg-subtle">
        {formatDateTime(refund.requested_at)} · {refund.provider_id} · attempts {refund.attempts}
        {refund.provider_refund_id ? ` · ${refund.provider_refund_id}` : ""}
        {refund.payout_reference ? ` · paid out: ${refund.payout_reference}` : ""}
      </Text>
      {refund.last_error && (
        <Text size="xsmall" className="text-ui-fg-error">
          {refund.last_error}
        </Text>
      )}
      {refund.status === "failed" && (
        <div>
          <Button size="small" variant="secondary" onClick={onRetry} isLoading={retry.isPending} disabled={retry.isPending}>
            Retry
          </Button>
        </div>
      )}
      {refund.status === "awaiting_payout" && (
        <div className="flex gap-x-2">
          <Input size="small" placeholder="Payout reference" value={reference} onChange={(e) => setReference(e.target.value)} />
          <Button size="small" variant="secondary" onClick={onPayout} isLoading={payout.isPending} disabled={!reference || payout.isPending}>
            Record payout
          </Button>
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
