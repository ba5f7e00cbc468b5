import { Text } from "@medusajs/ui"
import { formatDateTime, formatMoney } from "../lib/format"
import type { AuditEntry } from "../lib/types"

const ACTIONS: Record<string, string> = {
  payment_recorded: "Payment recorded",
  refund_requested: "Refund requested",
  refund_succeeded: "Refund succeeded",
  refund_failed: "Refund failed",
  refund_needs_attention: "Refund needs attention",
  refund_awaiting_payout: "Refund awaiting payout",
  refund_outcome_unknown: "Refund outcome unknown",
  refund_retried: "Refund retried",
  refund_payout_recorded: "Refund paid out",
  refund_unknown_at_provider: "Unknown refund at provider",
  order_closed: "Order closed",
  payment_overdue: "Payment overdue",
  medusa_capture: "Captured in Medusa",
  medusa_mark_as_paid: "Marked as paid in Medusa",
  medusa_refund: "Refunded in Medusa",
}

function describe(entry: AuditEntry): string {
  const what = ACTIONS[entry.action] ?? entry.action.replace(/_/g, " ")
  const amount =
    entry.amount !== null && entry.currency_code ? ` · ${formatMoney(entry.amount, entry.currency_code)}` : ""
  const method = entry.method ? ` · ${entry.method}` : ""
  return `${what}${amount}${method}`
}

/** The order's audit trail, newest first: who, when, what, reference. */
export function AuditTimeline({ entries }: { entries: AuditEntry[] }) {
  if (!entries.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle px-6 py-4">
        No payment desk activity yet.
      </Text>
    )
  }
  return (
    <ol className="flex flex-col gap-y-3 px-6 py-4" data-testid="payment-desk-timeline">
      {entries.map((entry) => (
        <li key={entry.id} className="flex gap-x-3" data-testid="payment-desk-timeline-entry">
          <div className="bg-ui-tag-neutral-icon mt-1.5 size-2 shrink-0 rounded-full" />
          <div className="flex flex-col">
            <Text size="small" weight="plus" leading="compact">
              {describe(entry)}
            </Text>
            <Text size="xsmall" className="text-ui-fg-subtle">
              {entry.actor_email ?? entry.actor_id ?? entry.actor_type} · {formatDateTime(entry.created_at)}
            </Text>
            {entry.reference && (
              <Text size="xsmall" className="text-ui-fg-subtle">
                Reference: {entry.reference}
              </Text>
            )}
            {entry.note && (
              <Text size="xsmall" className="text-ui-fg-subtle">
                {entry.note}
              </Text>
            )}
          </div>
        </li>
      ))}
    </ol>
  )
}
