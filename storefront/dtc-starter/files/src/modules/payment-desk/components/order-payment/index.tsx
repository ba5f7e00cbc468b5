import { convertToLocale } from "@lib/util/money"
import { Badge, Container, Text } from "@modules/common/components/ui"
import CloseOrder from "@modules/payment-desk/components/close-order"
import CopyButton from "@modules/payment-desk/components/copy-button"
import { paymentDeskIcon } from "@modules/payment-desk/payment-info"
import { formatDate, paymentDeskStrings as t } from "@modules/payment-desk/strings"
import type { StoreOrderPayment } from "medusa-payment-desk/storefront"

const STATUS_COLORS = {
  awaiting_payment: "orange",
  partially_paid: "blue",
  paid: "green",
  closed: "grey",
} as const

/** An amount as a banking app's amount field takes it: the currency's decimals, no symbol, no grouping. */
const plainAmount = (amount: number, currency: string) => {
  const digits = new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits
  return amount.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false })
}

/** An IBAN in groups of four, as banks print it. */
const groupIban = (iban: string) => iban.replace(/(.{4})(?=.)/g, "$1 ")

/** One line of the bank block: label, value, copy button. */
const BankLine = ({ label, value, copy }: { label: string; value: string; copy?: string }) => (
  <div className="flex items-center justify-between gap-x-4 py-1">
    <div className="flex flex-col">
      <Text className="txt-compact-small text-ui-fg-subtle">{label}</Text>
      <Text className="txt-medium-plus text-ui-fg-base font-mono break-all" data-testid={`bank-${label.toLowerCase().replace(/\s+/g, "-")}`}>
        {value}
      </Text>
    </div>
    <CopyButton value={copy ?? value} label={label} />
  </div>
)

/**
 * What the customer reads about paying an order placed with a payment-desk
 * method: the method and where its payment stands; while money is due, the
 * amount and the pay-by date, and for a bank transfer the reference,
 * account and QR code (for cash on delivery and other methods, the
 * merchant's instructions); once paid, when; once closed, why and the
 * refund; a cancellation request and the store's answer; and the buttons
 * the store's policy allows.
 */
const OrderPayment = ({ payment }: { payment: StoreOrderPayment }) => {
  const money = (amount: number) => convertToLocale({ amount, currency_code: payment.currency_code })
  const due = payment.status === "awaiting_payment" || payment.status === "partially_paid"
  const request = payment.cancellation_request

  return (
    <div className="flex flex-col gap-y-4" data-testid="payment-desk-order-payment">
      <div className="flex items-start gap-x-1 w-full">
        <div className="flex flex-col w-1/3">
          <Text className="txt-medium-plus text-ui-fg-base mb-1">{t.paymentMethod}</Text>
          <div className="flex gap-2 items-center txt-medium text-ui-fg-subtle">
            <Container className="flex items-center h-7 w-fit p-2 bg-ui-button-neutral-hover">
              {paymentDeskIcon({ kind: payment.kind, method: payment.method ?? "" })}
            </Container>
            <Text data-testid="payment-method">{payment.display_name}</Text>
          </div>
        </div>
        <div className="flex flex-col w-2/3 gap-y-1">
          <div className="flex gap-2 items-center">
            <Badge color={STATUS_COLORS[payment.status]} data-testid="payment-desk-status">
              {t.status[payment.status]}
            </Badge>
            {payment.overdue && (
              <Badge color="red" data-testid="payment-desk-overdue">
                {t.overdue}
              </Badge>
            )}
          </div>
          <dl className="grid grid-cols-2 gap-x-4 txt-medium text-ui-fg-subtle max-w-xs mt-1">
            {/* Medusa counts a canceled order's total as 0; the summary above keeps what was ordered. */}
            {payment.status !== "closed" && (
              <>
                <dt>{t.orderTotal}</dt>
                <dd className="text-right" data-testid="payment-desk-total">{money(payment.total)}</dd>
              </>
            )}
            <dt>{t.paid}</dt>
            <dd className="text-right" data-testid="payment-desk-paid">{money(payment.paid_total)}</dd>
            {payment.refunded_total > 0 && (
              <>
                <dt>{t.refunded}</dt>
                <dd className="text-right" data-testid="payment-desk-refunded">{money(payment.refunded_total)}</dd>
              </>
            )}
            {due && (
              <>
                <dt className="text-ui-fg-base font-medium">{t.amountDue}</dt>
                <dd className="text-right text-ui-fg-base font-medium" data-testid="payment-desk-due">
                  {money(payment.amount_due)}
                </dd>
              </>
            )}
          </dl>
        </div>
      </div>

      {due && (
        <div className="flex flex-col gap-y-3" data-testid="payment-desk-instructions">
          {payment.status === "partially_paid" && <Text className="txt-medium">{t.stillDue(money(payment.amount_due))}</Text>}
          {payment.pay_by && (
            <Text className={payment.overdue ? "txt-medium text-rose-500" : "txt-medium"} data-testid="payment-desk-pay-by">
              {payment.overdue ? t.payByOverdue(formatDate(payment.pay_by, true)) : t.payBy(formatDate(payment.pay_by, true))}
            </Text>
          )}
          {payment.kind === "bank_transfer" && payment.account ? (
            <div className="flex flex-col small:flex-row gap-6 border border-ui-border-base rounded-rounded p-4" data-testid="payment-desk-bank">
              <div className="flex flex-col flex-1">
                <Text className="txt-medium-plus text-ui-fg-base">{t.bankHeading}</Text>
                <Text className="txt-compact-small text-ui-fg-subtle mb-2">{t.bankHint}</Text>
                <BankLine label={t.amount} value={money(payment.amount_due)} copy={plainAmount(payment.amount_due, payment.currency_code)} />
                {payment.reference && <BankLine label={t.reference} value={payment.reference} />}
                <BankLine label={t.accountHolder} value={payment.account.account_holder} />
                <BankLine label={t.iban} value={groupIban(payment.account.iban)} copy={payment.account.iban} />
                {payment.account.bic && <BankLine label={t.bic} value={payment.account.bic} />}
                {payment.account.bank_name && <BankLine label={t.bankName} value={payment.account.bank_name} />}
              </div>
              {payment.qr_svg && (
                <div className="flex flex-col items-center gap-y-2 w-48">
                  {/* The plugin renders the SVG; as an image it cannot run anything. */}
                  <img
                    src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(payment.qr_svg)}`}
                    alt={t.qrAlt}
                    width={176}
                    height={176}
                    className="bg-white p-2"
                    data-testid="payment-desk-qr"
                  />
                  <Text className="txt-compact-small text-ui-fg-subtle text-center">{t.qrHint}</Text>
                </div>
              )}
            </div>
          ) : (
            payment.instructions && (
              <Text className="txt-medium whitespace-pre-line border border-ui-border-base rounded-rounded p-4" data-testid="payment-desk-method-instructions">
                {payment.instructions}
              </Text>
            )
          )}
        </div>
      )}

      {payment.status === "paid" && payment.paid_at && (
        <Text className="txt-medium" data-testid="payment-desk-paid-on">
          {t.paidOn(formatDate(payment.paid_at))}
        </Text>
      )}

      {payment.closure && (
        <div className="flex flex-col gap-y-1" data-testid="payment-desk-closure">
          <Text className="txt-medium">
            {t.closedOn(formatDate(payment.closure.closed_at), t.closeReason[payment.closure.reason] ?? t.closeReason.other)}
          </Text>
          {payment.refunds.map((refund, index) => (
            <Text key={index} className="txt-medium text-ui-fg-subtle" data-testid="payment-desk-refund">
              {t.refund(convertToLocale({ amount: refund.amount, currency_code: refund.currency_code }), t.refundStatus[refund.status])}
            </Text>
          ))}
        </div>
      )}

      {request && !payment.closure && (
        <div className="flex flex-col gap-y-1" data-testid="payment-desk-request">
          {request.status === "open" && <Text className="txt-medium">{t.requestOpen(formatDate(request.created_at))}</Text>}
          {request.status === "declined" && (
            <>
              <Text className="txt-medium">{t.requestDeclined}</Text>
              {request.answer_message && (
                <Text className="txt-medium text-ui-fg-subtle whitespace-pre-line">{request.answer_message}</Text>
              )}
            </>
          )}
          {request.status === "approved" && <Text className="txt-medium">{t.requestApproved}</Text>}
        </div>
      )}

      {(payment.actions.close || payment.actions.request_cancellation) && (
        <div>
          <CloseOrder orderId={payment.order_id} mode={payment.actions.close ? "close" : "request"} />
        </div>
      )}
    </div>
  )
}

export default OrderPayment
