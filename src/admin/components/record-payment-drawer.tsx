import { Alert, Button, Drawer, Input, Label, Select, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, ReactNode, useMemo, useState } from "react"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { useReceiptMethods, useRecordPayment } from "../hooks/use-record-payment"
import { amountError, formatMoney } from "../lib/format"
import { methodLabel } from "../lib/labels"
import type { OrderPaymentSummary } from "../lib/types"

function localNow(): string {
  const now = new Date()
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset())
  return now.toISOString().slice(0, 16)
}

const newKey = () =>
  `record-payment-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

type RecordPaymentDrawerProps = {
  summary: OrderPaymentSummary
  /** Controlled use (the Awaiting payment list opens it from a row); the widget leaves these out. */
  open?: boolean
  onOpenChange?: (open: boolean) => void
  /** The button that opens it; none when controlled from outside. */
  trigger?: ReactNode | null
  onRecorded?: () => void
}

/** The "Record payment" form: amount (prefilled with what is outstanding), method, reference, date, note. */
export function RecordPaymentDrawer({ summary, open: controlledOpen, onOpenChange, trigger, onRecorded }: RecordPaymentDrawerProps) {
  const { t, locale } = useDeskTranslation()
  const [ownOpen, setOwnOpen] = useState(controlledOpen ?? false)
  const open = controlledOpen ?? ownOpen
  const [idempotencyKey, setIdempotencyKey] = useState(newKey)
  const [amount, setAmount] = useState(String(summary.outstanding_amount))
  const [method, setMethod] = useState("")
  const [reference, setReference] = useState("")
  const [receivedAt, setReceivedAt] = useState(localNow)
  const [note, setNote] = useState("")
  const [error, setError] = useState<string | null>(null)
  const [amountMessage, setAmountError] = useState<string | null>(null)
  const prompt = usePrompt()
  const { data: methods } = useReceiptMethods()
  const record = useRecordPayment(summary.order_id, idempotencyKey)
  const currency = summary.currency_code.toUpperCase()

  const defaultMethod =
    summary.payment_method && methods?.receipt_methods.some((m) => m.id === summary.payment_method)
      ? summary.payment_method
      : methods?.receipt_methods[0]?.id ?? ""
  const chosenMethod = method || defaultMethod
  const chosenLabel = useMemo(
    () => methodLabel(t, chosenMethod, methods?.receipt_methods.find((m) => m.id === chosenMethod)?.label),
    [methods, chosenMethod, t]
  )
  const allowed = summary.can?.record_payment !== false
  const disabled = summary.status === "canceled" || summary.outstanding_amount <= 0

  const setOpen = (next: boolean) => {
    if (next) {
      setAmount(String(summary.outstanding_amount))
      setMethod("")
      setReference("")
      setReceivedAt(localNow())
      setNote("")
      setError(null)
      setAmountError(null)
      setIdempotencyKey(newKey())
    }
    setOwnOpen(next)
    onOpenChange?.(next)
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    // Checked before the confirmation: a prompt for an amount that cannot be
    // recorded only teaches people to click through prompts.
    const problem = amountError(amount, summary.outstanding_amount)
    if (problem) {
      setAmountError(
        t(`recordPayment.amountErrors.${problem}`, {
          outstanding: formatMoney(summary.outstanding_amount, summary.currency_code, locale),
        })
      )
      return
    }
    setAmountError(null)
    const value = Number(amount.replace(",", "."))
    const confirmed = await prompt({
      variant: "confirmation",
      title: t("recordPayment.confirmTitle"),
      description: t("recordPayment.confirmDescription", {
        amount: formatMoney(value, summary.currency_code, locale),
        method: chosenLabel,
      }),
      confirmText: t("recordPayment.submit"),
      cancelText: t("common.cancel"),
    })
    if (!confirmed) {
      return
    }
    await record
      .mutateAsync({
        amount: value,
        method: chosenMethod,
        reference: reference || undefined,
        received_at: receivedAt ? new Date(receivedAt).toISOString() : undefined,
        note: note || undefined,
      })
      .then(
        () => {
          toast.success(t("recordPayment.toast"), {
            description: `${formatMoney(value, summary.currency_code, locale)} · ${chosenLabel}`,
          })
          setOpen(false)
          onRecorded?.()
        },
        (failure: Error & { status?: number }) => {
          setError(failure.message)
          // A refusal is final for that body: a corrected submit is a new
          // request. Without an answer (network), the same key is kept so a
          // retry cannot record the money twice.
          if (failure.status && failure.status < 500) {
            setIdempotencyKey(newKey())
          }
        }
      )
  }

  if (!allowed) {
    return null
  }

  return (
    <Drawer open={open} onOpenChange={setOpen}>
      {trigger === undefined ? (
        <Drawer.Trigger asChild>
          <Button size="small" variant="secondary" disabled={disabled} data-testid="payment-desk-record-open">
            {t("recordPayment.open")}
          </Button>
        </Drawer.Trigger>
      ) : (
        trigger
      )}
      <Drawer.Content>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden" noValidate>
          <Drawer.Header>
            <Drawer.Title>{t("recordPayment.title")}</Drawer.Title>
            <Drawer.Description>
              {t("recordPayment.description", {
                order: summary.display_id ? `#${summary.display_id}` : "",
                outstanding: formatMoney(summary.outstanding_amount, summary.currency_code, locale),
              })}
            </Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            {error && (
              <Alert variant="error" data-testid="payment-desk-record-error">
                {error}
              </Alert>
            )}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-amount">{t("common.amountIn", { currency })}</Label>
              <Input
                id="pd-amount"
                name="amount"
                inputMode="decimal"
                aria-invalid={!!amountMessage}
                aria-describedby={amountMessage ? "pd-amount-error" : undefined}
                value={amount}
                onChange={(e) => {
                  setAmount(e.target.value)
                  setAmountError(null)
                }}
              />
              {amountMessage && (
                <Text size="small" id="pd-amount-error" className="text-ui-fg-error" data-testid="payment-desk-record-amount-error">
                  {amountMessage}
                </Text>
              )}
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-method">{t("recordPayment.method")}</Label>
              <Select value={chosenMethod} onValueChange={setMethod}>
                <Select.Trigger id="pd-method" data-testid="payment-desk-record-method">
                  <Select.Value placeholder={t("recordPayment.chooseMethod")} />
                </Select.Trigger>
                <Select.Content>
                  {(methods?.receipt_methods ?? []).map((m) => (
                    <Select.Item key={m.id} value={m.id}>
                      {methodLabel(t, m.id, m.label)}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-reference">{t("common.reference")}</Label>
              <Input
                id="pd-reference"
                name="reference"
                placeholder={t("recordPayment.referencePlaceholder")}
                value={reference}
                onChange={(e) => setReference(e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-received-at">{t("recordPayment.receivedAt")}</Label>
              <Input
                id="pd-received-at"
                name="received_at"
                type="datetime-local"
                value={receivedAt}
                onChange={(e) => setReceivedAt(e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-note">{t("common.note")}</Label>
              <Textarea id="pd-note" name="note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                {t("common.cancel")}
              </Button>
            </Drawer.Close>
            <Button
              size="small"
              type="submit"
              isLoading={record.isPending}
              disabled={record.isPending || !chosenMethod}
              data-testid="payment-desk-record-submit"
            >
              {t("recordPayment.submit")}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
