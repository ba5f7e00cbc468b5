import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import { AuditTimeline } from "../components/audit-timeline"
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

/** "Payments received": method, totals, outstanding amount and pay-by date of the order. */
const OrderPaymentsReceivedWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data: summary, isLoading, error } = useOrderPaymentSummary(order.id)

  const overdue =
    !!summary?.pay_by && summary.outstanding_amount > 0 && new Date(summary.pay_by) < new Date()
  const badge = !summary
    ? null
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
        <div className="flex items-center gap-x-2">
          {badge && <StatusBadge color={badge.color}>{badge.label}</StatusBadge>}
          {summary && <RecordPaymentDrawer summary={summary} />}
          {summary && <IssueRefundDrawer summary={summary} />}
        </div>
      </div>
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
          <Row
            label="Amount due"
            value={formatMoney(summary.outstanding_amount, summary.currency_code)}
            testId="payment-desk-amount-due"
          />
          {summary.payment_method_name && (
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
