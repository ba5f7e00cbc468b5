import { Alert, Button, Drawer, Input, Label, Select, Switch, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useEffect, useState } from "react"
import { useBankTransactions } from "../hooks/use-bank-statements"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { useIssueRefund, useRefundReasons } from "../hooks/use-refunds"
import { amountError, formatMoney } from "../lib/format"
import { methodLabel, refundStatusLabel } from "../lib/labels"
import type { OrderPaymentSummary } from "../lib/types"

const newKey = () => `refund-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

/** A manual method (the plugin's own provider), not a card or other provider ("pp_…"). */
const isManual = (method: string | null | undefined) => !!method && !method.startsWith("pp_")

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
  const [payee, setPayee] = useState({ name: "", iban: "", bic: "" })
  const [payeeTouched, setPayeeTouched] = useState(false)
  const [amountMessage, setAmountError] = useState<string | null>(null)
  const prompt = usePrompt()
  const { data: reasons } = useRefundReasons()
  const issue = useIssueRefund(summary.order_id, key)
  const currency = summary.currency_code.toUpperCase()
  const method = methodLabel(t, summary.payment_method, summary.payment_method_name) || t("common.payment")
  const manual = isManual(summary.payment_method)
  const { data: paid } = useBankTransactions(
    { order_id: summary.order_id, status: "recorded", direction: "credit", limit: 1, offset: 0 },
    { enabled: manual && open }
  )
  const payer = paid?.bank_transactions[0] ?? null
  const showPayee = manual && (!!summary.account || !!payer)
  // The payer's account arrives after the drawer opens: fill it in unless the merchant has typed already.
  useEffect(() => {
    if (open && payer && !payeeTouched) {
      setPayee({ name: payer.counterparty_name ?? "", iban: payer.counterparty_iban ?? "", bic: "" })
    }
  }, [open, payer, payeeTouched])
  const editPayee = (field: "name" | "iban" | "bic", value: string) => {
    setPayeeTouched(true)
    setPayee((current) => ({ ...current, [field]: value }))
  }
  const payoutAccount =
    showPayee && (payee.name.trim() || payee.iban.trim())
      ? { name: payee.name.trim(), iban: payee.iban.trim(), ...(payee.bic.trim() ? { bic: payee.bic.trim() } : {}) }
      : undefined
  const payeeError = (field: string) => (error?.includes(`payout_account.${field}`) ? error : null)

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
        payout_account: payoutAccount,
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
          setPayee({ name: "", iban: "", bic: "" })
          setPayeeTouched(false)
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
            {error && !(showPayee && error.includes("payout_account.")) && (
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
              <fieldset className="flex flex-col gap-y-3" data-testid="payment-desk-refund-payee">
                <legend className="txt-compact-small-plus mb-1">{t("refund.payTo")}</legend>
                <Text size="small" className="text-ui-fg-subtle">
                  {payer ? t("refund.payToFromStatement") : t("refund.payToHint")}
                </Text>
                <div className="flex flex-col gap-y-2">
                  <Label htmlFor="pd-refund-payee-name">{t("refund.payeeName")}</Label>
                  <Input id="pd-refund-payee-name" value={payee.name} aria-invalid={!!payeeError("name")} onChange={(e) => editPayee("name", e.target.value)} />
                  {payeeError("name") && (
                    <Text size="small" className="text-ui-fg-error">
                      {payeeError("name")}
                    </Text>
                  )}
                </div>
                <div className="flex flex-col gap-y-2">
                  <Label htmlFor="pd-refund-payee-iban">{t("bank.iban")}</Label>
                  <Input
                    id="pd-refund-payee-iban"
                    className="font-mono"
                    value={payee.iban}
                    aria-invalid={!!payeeError("iban")}
                    onChange={(e) => editPayee("iban", e.target.value)}
                  />
                  {payeeError("iban") && (
                    <Text size="small" className="text-ui-fg-error" data-testid="payment-desk-refund-iban-error">
                      {payeeError("iban")}
                    </Text>
                  )}
                </div>
                <div className="flex flex-col gap-y-2">
                  <Label htmlFor="pd-refund-payee-bic">{t("refund.payeeBic")}</Label>
                  <Input id="pd-refund-payee-bic" className="font-mono" value={payee.bic} aria-invalid={!!payeeError("bic")} onChange={(e) => editPayee("bic", e.target.value)} />
                  {payeeError("bic") && (
                    <Text size="small" className="text-ui-fg-error">
                      {payeeError("bic")}
                    </Text>
                  )}
                </div>
              </fieldset>
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
