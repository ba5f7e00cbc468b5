import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import { AuditTimeline } from "../components/audit-timeline"
import { BankTransferDetails } from "../components/bank-transfer-details"
import { CloseOrderDrawer, CLOSE_REASON_LABELS } from "../components/close-order-drawer"
import { IssueRefundDrawer } from "../components/issue-refund-drawer"
import { RecordPaymentDrawer } from "../components/record-payment-drawer"
import { RefundLedger } from "../components/refund-ledger"
import { useOrderPaymentSummary } from "../hooks/use-order-payment-summary"
import { formatDateTime, formatMoney } from "../lib/format"

function Row({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="text-ui-fg-subtle grid grid-cols-2 items-center px-6 py-4">
      <Text size="small" leading="compact" weight="plus">
        {label}
      </Text>
      <Text size="small" leading="compact" className="text-right" data-testid={testId}>
        {value}
      </Text>
    </div>
  )
}

/** "Payments received": method, totals, outstanding amount, pay-by date and bank transfer details of the order. */
const OrderPaymentsReceivedWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data: summary, isLoading, error } = useOrderPaymentSummary(order.id)

  const overdue =
    !!summary?.pay_by && summary.outstanding_amount > 0 && new Date(summary.pay_by) < new Date()
  const badge = !summary
    ? null
    : summary.closure || summary.status === "canceled"
      ? { color: "grey" as const, label: "Closed" }
      : summary.outstanding_amount <= 0
      ? { color: "green" as const, label: "Paid" }
      : overdue
        ? { color: "red" as const, label: "Overdue" }
        : summary.paid_total > 0
          ? { color: "orange" as const, label: "Partly paid" }
          : { color: "grey" as const, label: "Awaiting payment" }

  return (
    <Container className="divide-y p-0" data-testid="payment-desk-order-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Payments received</Heading>
        {badge && <StatusBadge color={badge.color}>{badge.label}</StatusBadge>}
      </div>
      {summary && (
        <div className="flex flex-wrap gap-2 px-6 py-4">
          <RecordPaymentDrawer summary={summary} />
          <IssueRefundDrawer summary={summary} />
          {!summary.closure && <CloseOrderDrawer summary={summary} />}
        </div>
      )}
      {summary?.closure && (
        <div className="flex flex-col gap-y-1 px-6 py-4" data-testid="payment-desk-closure">
          <Text size="small" weight="plus">
            Closed: {CLOSE_REASON_LABELS[summary.closure.reason] ?? summary.closure.reason}
          </Text>
          <Text size="xsmall" className="text-ui-fg-subtle">
            by {summary.closure.actor_type}
            {summary.closure.actor_id ? ` ${summary.closure.actor_id}` : ""} · {formatDateTime(summary.closure.closed_at)}
            {summary.closure.refunded_amount > 0
              ? ` · refunded ${formatMoney(summary.closure.refunded_amount, summary.closure.currency_code)}`
              : ""}
          </Text>
          {summary.closure.note && (
            <Text size="xsmall" className="text-ui-fg-subtle">
              {summary.closure.note}
            </Text>
          )}
        </div>
      )}
      {isLoading && (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          Loading…
        </Text>
      )}
      {error && (
        <Text size="small" className="text-ui-fg-error px-6 py-4">
          {error.message}
        </Text>
      )}
      {summary && (
        <>
          <Row
            label="Method"
            value={summary.payment_method_name ?? summary.payment_method ?? "—"}
            testId="payment-desk-method"
          />
          <Row
            label="Total"
            value={formatMoney(summary.total, summary.currency_code)}
            testId="payment-desk-total"
          />
          <Row
            label="Received"
            value={formatMoney(summary.paid_total, summary.currency_code)}
            testId="payment-desk-received"
          />
          {summary.refunded_total > 0 && (
            <Row
              label="Refunded"
              value={formatMoney(summary.refunded_total, summary.currency_code)}
              testId="payment-desk-refunded"
            />
          )}
          <Row
            label="Amount due"
            value={formatMoney(summary.outstanding_amount, summary.currency_code)}
            testId="payment-desk-amount-due"
          />
          {summary.payment_method_name && summary.outstanding_amount > 0 && !summary.closure && (
            <Row
              label="Pay by"
              value={summary.pay_by ? formatDateTime(summary.pay_by) : "No deadline"}
              testId="payment-desk-pay-by"
            />
          )}
          <Row
            label="Refundable"
            value={formatMoney(summary.refundable_amount, summary.currency_code)}
            testId="payment-desk-refundable"
          />
          <BankTransferDetails summary={summary} />
          {summary.refunds.length > 0 && (
            <div>
              <div className="px-6 pt-4">
                <Heading level="h3">Refunds</Heading>
              </div>
              <RefundLedger refunds={summary.refunds} orderId={summary.order_id} />
            </div>
          )}
          <div>
            <div className="px-6 pt-4">
              <Heading level="h3">Payment desk activity</Heading>
            </div>
            <AuditTimeline entries={summary.audit} />
          </div>
        </>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.before",
})

export default OrderPaymentsReceivedWidget
