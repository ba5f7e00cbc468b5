import { Alert, Button, Drawer, Input, Label, Select, Switch, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { useIssueRefund, useRefundReasons } from "../hooks/use-refunds"
import { amountError, formatMoney } from "../lib/format"
import { methodLabel, refundStatusLabel } from "../lib/labels"
import type { OrderPaymentSummary } from "../lib/types"
import { isManualMethod } from "../lib/labels"
import { PayeeFields, payeeFieldOf, usePayeeForm } from "./payee-fields"

const newKey = () => `refund-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

/**
 * The refund form: amount (at most the refundable amount), Medusa refund
 * reason, note, notify toggle; for a manual payment, the account the refund is
 * paid out to, pre-filled from the payer of the order's recorded bank line.
 */
export function IssueRefundDrawer({ summary }: { summary: OrderPaymentSummary }) {
  const { t, locale } = useDeskTranslation()
  const [open, setOpen] = useState(false)
  const [key, setKey] = useState(newKey)
  const [amount, setAmount] = useState("")
  const [reason, setReason] = useState("")
  const [note, setNote] = useState("")
  const [notify, setNotify] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [amountMessage, setAmountError] = useState<string | null>(null)
  const prompt = usePrompt()
  const { data: reasons } = useRefundReasons()
  const issue = useIssueRefund(summary.order_id, key)
  const currency = summary.currency_code.toUpperCase()
  const method = methodLabel(t, summary.payment_method, summary.payment_method_name) || t("common.payment")
  const manual = isManualMethod(summary.payment_method)
  const payer = summary.payer ?? null
  const showPayee = manual && (!!summary.account || !!payer)
  const payee = usePayeeForm(open && showPayee, payer)

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    const problem = amountError(amount, summary.refundable_amount)
    if (problem) {
      setAmountError(
        t(`refund.amountErrors.${problem}`, {
          refundable: formatMoney(summary.refundable_amount, summary.currency_code, locale),
        })
      )
      return
    }
    setAmountError(null)
    const value = Number(amount.replace(",", "."))
    const confirmed = await prompt({
      variant: "danger",
      title: t("refund.confirmTitle"),
      description: t("refund.confirmDescription", {
        amount: formatMoney(value, summary.currency_code, locale),
        currency,
        method,
      }),
      confirmText: t("refund.submit"),
      cancelText: t("common.cancel"),
    })
    if (!confirmed) {
      return
    }
    await issue
      .mutateAsync({
        amount: value,
        refund_reason_id: reason || undefined,
        note: note || undefined,
        notify_customer: notify,
        payout_account: showPayee ? payee.payoutAccount : undefined,
      })
      .then(
        ({ refund_request }) => {
          toast.success(t("refund.toast"), {
            description: `${formatMoney(value, summary.currency_code, locale)} · ${refundStatusLabel(t, refund_request.status)}`,
          })
          setOpen(false)
        },
        (failure: Error & { status?: number }) => {
          setError(failure.message)
          if (failure.status && failure.status < 500) {
            setKey(newKey())
          }
        }
      )
  }

  if (summary.can?.refund === false) {
    return null
  }

  return (
    <Drawer
      open={open}
      onOpenChange={(next) => {
        if (next) {
          setAmount(String(summary.refundable_amount))
          setReason("")
          setNote("")
          setError(null)
          setAmountError(null)
          setKey(newKey())
        }
        setOpen(next)
      }}
    >
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" disabled={summary.refundable_amount <= 0} data-testid="payment-desk-refund-open">
          {t("refund.open")}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden" noValidate>
          <Drawer.Header>
            <Drawer.Title>{t("refund.title")}</Drawer.Title>
            <Drawer.Description>
              {t("refund.description", {
                refundable: formatMoney(summary.refundable_amount, summary.currency_code, locale),
                method,
              })}
            </Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            {error && !(showPayee && payeeFieldOf(error)) && (
              <Alert variant="error" data-testid="payment-desk-refund-error">
                {error}
              </Alert>
            )}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-refund-amount">{t("common.amountIn", { currency })}</Label>
              <Input
                id="pd-refund-amount"
                inputMode="decimal"
                aria-invalid={!!amountMessage}
                aria-describedby={amountMessage ? "pd-refund-amount-error" : undefined}
                value={amount}
                onChange={(e) => {
                  setAmount(e.target.value)
                  setAmountError(null)
                }}
              />
              {amountMessage && (
                <Text size="small" id="pd-refund-amount-error" className="text-ui-fg-error" data-testid="payment-desk-refund-amount-error">
                  {amountMessage}
                </Text>
              )}
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-refund-reason">{t("refund.reason")}</Label>
              <Select value={reason} onValueChange={setReason}>
                <Select.Trigger id="pd-refund-reason">
                  <Select.Value placeholder={t("refund.noReason")} />
                </Select.Trigger>
                <Select.Content>
                  {(reasons?.refund_reasons ?? []).map((r) => (
                    <Select.Item key={r.id} value={r.id}>
                      {r.label}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-refund-note">{t("common.note")}</Label>
              <Textarea id="pd-refund-note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            {showPayee && (
              <PayeeFields
                idPrefix="pd-refund-payee"
                testId="payment-desk-refund-payee"
                value={payee.value}
                onChange={payee.edit}
                error={error}
                legend={t("refund.payTo")}
                hint={payer ? t("refund.payToFromStatement") : t("refund.payToHint")}
              />
            )}
            <div className="flex items-center gap-x-2">
              <Switch id="pd-refund-notify" checked={notify} onCheckedChange={setNotify} />
              <Label htmlFor="pd-refund-notify">{t("refund.notify")}</Label>
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                {t("common.cancel")}
              </Button>
            </Drawer.Close>
            <Button size="small" variant="danger" type="submit" isLoading={issue.isPending} disabled={issue.isPending} data-testid="payment-desk-refund-submit">
              {t("refund.submit")}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
