import { Alert, Button, Drawer, Label, Select, Switch, Textarea, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useCloseOrder } from "../hooks/use-close-order"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { formatMoney } from "../lib/format"
import { CLOSE_REASONS, isManualMethod, methodLabel, reasonLabel } from "../lib/labels"
import type { OrderPaymentSummary } from "../lib/types"
import { PayeeFields, payeeFieldOf, usePayeeForm } from "./payee-fields"

const newKey = () => `close-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

/**
 * "Close order": reason, note, notify toggle; when the close refunds money
 * that came in through a manual method, the payee of that refund, pre-filled
 * from the payer of the order's bank line. The confirmation says what will be
 * refunded first.
 */
export function CloseOrderDrawer({ summary }: { summary: OrderPaymentSummary }) {
  const { t, locale } = useDeskTranslation()
  const [open, setOpen] = useState(false)
  const [key, setKey] = useState(newKey)
  const [reason, setReason] = useState<string>("customer_request")
  const [note, setNote] = useState("")
  const [notify, setNotify] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const prompt = usePrompt()
  const close = useCloseOrder(summary.order_id, key)
  const refund = summary.refundable_amount
  // The close refunds every payment holding money; a manual one is paid out by hand, to this account.
  const showPayee = refund > 0 && summary.payments.some((payment) => isManualMethod(payment.method))
  const payer = summary.payer ?? null
  const payee = usePayeeForm(open && showPayee, payer)
  const method = methodLabel(t, summary.payment_method, summary.payment_method_name) || t("common.payment")
  const refundText =
    refund > 0
      ? t(summary.payment_method_name ? "close.refundFirstManual" : "close.refundFirst", {
          amount: formatMoney(refund, summary.currency_code, locale),
          method,
        })
      : t("close.nothingToRefund")

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    const confirmed = await prompt({
      variant: "danger",
      title: t("close.confirmTitle"),
      description: refundText,
      confirmText: t("close.submit"),
      cancelText: t("close.keepOpen"),
    })
    if (!confirmed) {
      return
    }
    // Awaited rather than per-call callbacks: a closed order unmounts this
    // drawer as soon as its summary arrives, and React Query drops the
    // callbacks of an unmounted caller, so the toast would never show.
    await close
      .mutateAsync({
        reason,
        note: note || undefined,
        notify_customer: notify,
        payout_account: showPayee ? payee.payoutAccount : undefined,
      })
      .then(
        () => {
          toast.success(t("close.toast"))
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

  if (summary.can?.close_order === false) {
    return null
  }

  return (
    <Drawer
      open={open}
      onOpenChange={(next) => {
        if (next) {
          setError(null)
          setNote("")
          setKey(newKey())
        }
        setOpen(next)
      }}
    >
      <Drawer.Trigger asChild>
        <Button size="small" variant="danger" disabled={summary.status === "canceled"} data-testid="payment-desk-close-open">
          {t("close.open")}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden">
          <Drawer.Header>
            <Drawer.Title>{t("close.title")}</Drawer.Title>
            <Drawer.Description>{refundText}</Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            {error && !(showPayee && payeeFieldOf(error)) && (
              <Alert variant="error" data-testid="payment-desk-close-error">
                {error}
              </Alert>
            )}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-close-reason">{t("close.reason")}</Label>
              <Select value={reason} onValueChange={setReason}>
                <Select.Trigger id="pd-close-reason">
                  <Select.Value />
                </Select.Trigger>
                <Select.Content>
                  {CLOSE_REASONS.map((value) => (
                    <Select.Item key={value} value={value}>
                      {reasonLabel(t, value)}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-close-note">{t("common.note")}</Label>
              <Textarea id="pd-close-note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            {showPayee && (
              <PayeeFields
                idPrefix="pd-close-payee"
                testId="payment-desk-close-payee"
                value={payee.value}
                onChange={payee.edit}
                error={error}
                legend={t("refund.payTo")}
                hint={payer ? t("refund.payToFromStatement") : t("close.payToHint")}
              />
            )}
            <div className="flex items-center gap-x-2">
              <Switch id="pd-close-notify" checked={notify} onCheckedChange={setNotify} />
              <Label htmlFor="pd-close-notify">{t("close.notify")}</Label>
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                {t("common.cancel")}
              </Button>
            </Drawer.Close>
            <Button size="small" variant="danger" type="submit" isLoading={close.isPending} disabled={close.isPending} data-testid="payment-desk-close-submit">
              {t("close.submit")}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
