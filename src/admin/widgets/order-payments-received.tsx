import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Alert, clx, Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { AuditTimeline } from "../components/audit-timeline"
import { BankTransferDetails } from "../components/bank-transfer-details"
import { CloseOrderDrawer } from "../components/close-order-drawer"
import { IssueRefundDrawer } from "../components/issue-refund-drawer"
import { RecordPaymentDrawer } from "../components/record-payment-drawer"
import { RefundLedger } from "../components/refund-ledger"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { useOrderPaymentSummary } from "../hooks/use-order-payment-summary"
import { usePinnedFirst } from "../hooks/use-widget-placement"
import { formatDateTime, formatMoney } from "../lib/format"
import { actorLabel, methodLabel, notesLabel, reasonLabel } from "../lib/labels"

// The widget's id in the layout configuration (Customize page); config.id repeats it as a literal, which the admin bundler requires.
const ORDER_WIDGET_ID = "payment-desk-order-payments"

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

/**
 * The order total as Medusa's Summary section shows it ("Order Total": the
 * order's `original_total`, which a refund's credit line does not lower),
 * from the page's own order; the plugin's figure until the page has it.
 */
function orderTotal(order: AdminOrder, summary: { total: number }): number {
  const original = (order as { original_total?: number | null }).original_total
  return typeof original === "number" ? original : summary.total
}

/**
 * "Total paid by customer" as Medusa's Payments section works it out: captured
 * minus refunded over the order's payment collections, from the page's own
 * order; the plugin's received minus refunded until the page has them.
 */
function paidByCustomer(order: AdminOrder, summary: { paid_total: number; refunded_total: number }): number {
  const collections = order.payment_collections
  if (!collections?.length) {
    return summary.paid_total - summary.refunded_total
  }
  return collections.reduce((sum, collection) => sum + Number(collection.captured_amount ?? 0) - Number(collection.refunded_amount ?? 0), 0)
}

/** "Payments received": method, totals, outstanding amount, pay-by date and bank transfer details of the order. */
const OrderPaymentsReceivedWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { t, locale } = useDeskTranslation()
  const { data: summary, isLoading, error } = useOrderPaymentSummary(order.id)
  const pinnedFirst = usePinnedFirst("order.details", ORDER_WIDGET_ID)
  const money = (amount: number) => formatMoney(amount, summary?.currency_code ?? "eur", locale)

  const closed = !!summary && (!!summary.closure || summary.status === "canceled")
  const due = !!summary && !closed && summary.outstanding_amount > 0
  const overdue = due && !!summary?.pay_by && new Date(summary.pay_by) < new Date()
  const badge = !summary
    ? null
    : closed
      ? { color: "grey" as const, label: t("widget.status.closed") }
      : summary.outstanding_amount <= 0
        ? { color: "green" as const, label: t("widget.status.paid") }
        : overdue
          ? { color: "red" as const, label: t("widget.status.overdue") }
          : summary.paid_total > 0
            ? { color: "orange" as const, label: t("widget.status.partlyPaid") }
            : { color: "grey" as const, label: t("widget.status.awaiting") }
  const closure = summary?.closure

  return (
    // `order-first`: the side column is a flex column, so this puts the widget
    // above Customer and Activity until a saved layout places it.
    <Container className={clx("divide-y p-0", pinnedFirst && "order-first")} data-testid="payment-desk-order-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">{t("widget.title")}</Heading>
        {badge && <StatusBadge color={badge.color}>{badge.label}</StatusBadge>}
      </div>
      {summary && (
        <div className="flex flex-wrap gap-2 px-6 py-4">
          <RecordPaymentDrawer summary={summary} />
          <IssueRefundDrawer summary={summary} />
          {!closure && <CloseOrderDrawer summary={summary} />}
        </div>
      )}
      {summary?.reversed_credits?.map((reversed) => (
        // A reversed credit leaves the order looking paid until someone books or ignores it.
        <div key={reversed.bank_transaction_id} className="px-6 py-4">
          <Alert variant="warning" data-testid="payment-desk-reversed-credit">
            {t("widget.reversedCredit", {
              amount: formatMoney(reversed.amount, reversed.currency_code, locale),
              date: formatDateTime(reversed.booking_date, locale),
            })}{" "}
            <Link
              to={`/payment-desk/bank-statements?line=${reversed.bank_transaction_id}`}
              className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-compact-small-plus"
            >
              {t("widget.reviewBankLine")}
            </Link>
          </Alert>
        </div>
      ))}
      {closure && summary && (
        <div className="flex flex-col gap-y-1 px-6 py-4" data-testid="payment-desk-closure">
          <Text size="small" weight="plus">
            {t("widget.closedBecause", { reason: reasonLabel(t, closure.reason, closure.reason_label) })}
          </Text>
          <Text size="xsmall" className="text-ui-fg-subtle">
            {[
              t("widget.closedBy", { who: actorLabel(t, closure.actor ?? { type: closure.actor_type, id: closure.actor_id }) }),
              formatDateTime(closure.closed_at, locale),
              closure.refunded_amount > 0
                ? t("widget.closedRefunded", { amount: formatMoney(closure.refunded_amount, closure.currency_code, locale) })
                : "",
            ]
              .filter(Boolean)
              .join(" · ")}
          </Text>
          {(closure.note || closure.system_note) && (
            <Text size="xsmall" className="text-ui-fg-subtle">
              {notesLabel(t, closure, locale)}
            </Text>
          )}
        </div>
      )}
      {isLoading && (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          {t("common.loading")}
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
            label={t("widget.method")}
            value={methodLabel(t, summary.payment_method, summary.payment_method_name) || "—"}
            testId="payment-desk-method"
          />
          <Row label={t("widget.total")} value={money(orderTotal(order, summary))} testId="payment-desk-total" />
          <Row label={t("widget.received")} value={money(summary.paid_total)} testId="payment-desk-received" />
          {summary.refunded_total > 0 && (
            <>
              <Row
                label={t("widget.refunded")}
                value={
                  summary.awaiting_payout_total > 0
                    ? t("widget.refundedAwaitingPayout", {
                        amount: money(summary.refunded_total),
                        awaiting: money(summary.awaiting_payout_total),
                      })
                    : money(summary.refunded_total)
                }
                testId="payment-desk-refunded"
              />
              <Row label={t("widget.paidByCustomer")} value={money(paidByCustomer(order, summary))} testId="payment-desk-paid-by-customer" />
            </>
          )}
          <Row label={t("widget.amountDue")} value={money(summary.outstanding_amount)} testId="payment-desk-amount-due" />
          {/* A deadline only means something while money is due. */}
          {due && summary.payment_method_name && (
            <Row
              label={t("widget.payBy")}
              value={summary.pay_by ? formatDateTime(summary.pay_by, locale) : t("widget.noDeadline")}
              testId="payment-desk-pay-by"
            />
          )}
          <Row label={t("widget.refundable")} value={money(summary.refundable_amount)} testId="payment-desk-refundable" />
          <BankTransferDetails summary={summary} />
          {summary.refunds.length > 0 && (
            <div>
              <div className="px-6 pt-4">
                <Heading level="h3">{t("widget.refunds")}</Heading>
              </div>
              <RefundLedger refunds={summary.refunds} orderId={summary.order_id} />
            </div>
          )}
          <div>
            <div className="px-6 pt-4">
              <Heading level="h3">{t("widget.activity")}</Heading>
            </div>
            <AuditTimeline entries={summary.audit} />
          </div>
        </>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  // The side column; `.before` is ignored by 2.21 (see usePinnedFirst).
  zone: "order.details.side",
  id: "payment-desk-order-payments",
})

export default OrderPaymentsReceivedWidget
