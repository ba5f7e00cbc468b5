import { Alert, Button, Drawer, Input, Label, Select, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useMemo, useState } from "react"
import { useReceiptMethods, useRecordPayment } from "../hooks/use-record-payment"
import { formatMoney } from "../lib/format"
import type { OrderPaymentSummary } from "../lib/types"

function localNow(): string {
  const now = new Date()
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset())
  return now.toISOString().slice(0, 16)
}

const newKey = () =>
  `record-payment-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

/** The "Record payment" form: amount (prefilled with what is outstanding), method, reference, date, note. */
export function RecordPaymentDrawer({ summary }: { summary: OrderPaymentSummary }) {
  const [open, setOpen] = useState(false)
  const [idempotencyKey, setIdempotencyKey] = useState(newKey)
  const [amount, setAmount] = useState("")
  const [method, setMethod] = useState("")
  const [reference, setReference] = useState("")
  const [receivedAt, setReceivedAt] = useState(localNow)
  const [note, setNote] = useState("")
  const [error, setError] = useState<string | null>(null)
  const prompt = usePrompt()
  const { data: methods } = useReceiptMethods()
  const record = useRecordPayment(summary.order_id, idempotencyKey)

  const methodLabel = useMemo(
    () => methods?.receipt_methods.find((m) => m.id === method)?.label ?? method,
    [methods, method]
  )
  const disabled = summary.status === "canceled" || summary.outstanding_amount <= 0

  const reset = () => {
    setAmount(String(summary.outstanding_amount))
    setMethod(
      summary.payment_method && methods?.receipt_methods.some((m) => m.id === summary.payment_method)
        ? summary.payment_method
        : methods?.receipt_methods[0]?.id ?? ""
    )
    setReference("")
    setReceivedAt(localNow())
    setNote("")
    setError(null)
    setIdempotencyKey(newKey())
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    const value = Number(amount)
    const confirmed = await prompt({
      title: "Record this payment?",
      description: `${formatMoney(value, summary.currency_code)} received by ${methodLabel} will be captured on this order. This is written to the audit trail.`,
      confirmText: "Record payment",
      cancelText: "Cancel",
    })
    if (!confirmed) {
      return
    }
    record.mutate(
      {
        amount: value,
        method,
        reference: reference || undefined,
        received_at: receivedAt ? new Date(receivedAt).toISOString() : undefined,
        note: note || undefined,
      },
      {
        onSuccess: () => {
          toast.success("Payment recorded", {
            description: `${formatMoney(value, summary.currency_code)} by ${methodLabel}`,
          })
          setOpen(false)
        },
        onError: (failure: Error & { status?: number }) => {
          setError(failure.message)
          // A refusal is final for that body: a corrected submit is a new
          // request. Without an answer (network), the same key is kept so a
          // retry cannot record the money twice.
          if (failure.status && failure.status < 500) {
            setIdempotencyKey(newKey())
          }
        },
      }
    )
  }

  return (
    <Drawer
      open={open}
      onOpenChange={(next) => {
        if (next) reset()
        setOpen(next)
      }}
    >
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" disabled={disabled} data-testid="payment-desk-record-open">
          Record payment
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden">
          <Drawer.Header>
            <Drawer.Title>Record payment</Drawer.Title>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            <Text size="small" className="text-ui-fg-subtle">
              Outstanding: {formatMoney(summary.outstanding_amount, summary.currency_code)}
            </Text>
            {error && (
              <Alert variant="error" data-testid="payment-desk-record-error">
                {error}
              </Alert>
            )}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-amount">Amount ({summary.currency_code.toUpperCase()})</Label>
              <Input
                id="pd-amount"
                name="amount"
                type="number"
                step="any"
                min="0"
                required
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-method">Method</Label>
              <Select value={method} onValueChange={setMethod}>
                <Select.Trigger id="pd-method" data-testid="payment-desk-record-method">
                  <Select.Value placeholder="Choose a method" />
                </Select.Trigger>
                <Select.Content>
                  {(methods?.receipt_methods ?? []).map((m) => (
                    <Select.Item key={m.id} value={m.id}>
                      {m.label}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-reference">Reference</Label>
              <Input
                id="pd-reference"
                name="reference"
                placeholder="Bank reference, receipt or cheque number"
                value={reference}
                onChange={(e) => setReference(e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-received-at">Received at</Label>
              <Input
                id="pd-received-at"
                name="received_at"
                type="datetime-local"
                value={receivedAt}
                onChange={(e) => setReceivedAt(e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-note">Note</Label>
              <Textarea id="pd-note" name="note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                Cancel
              </Button>
            </Drawer.Close>
            <Button
              size="small"
              type="submit"
              isLoading={record.isPending}
              disabled={record.isPending || !method}
              data-testid="payment-desk-record-submit"
            >
              Record payment
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
