import { Alert, Button, Drawer, Label, Select, Switch, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useCloseOrder } from "../hooks/use-close-order"
import { formatMoney } from "../lib/format"
import type { OrderPaymentSummary } from "../lib/types"

const REASONS: Record<string, string> = {
  customer_request: "Customer request",
  out_of_stock: "Out of stock",
  fraud_suspected: "Fraud suspected",
  payment_timeout: "Payment not received in time",
  other: "Other",
}

const newKey = () => `close-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

/** "Close order": reason, note, notify toggle; the confirmation says what will be refunded first. */
export function CloseOrderDrawer({ summary }: { summary: OrderPaymentSummary }) {
  const [open, setOpen] = useState(false)
  const [key, setKey] = useState(newKey)
  const [reason, setReason] = useState("customer_request")
  const [note, setNote] = useState("")
  const [notify, setNotify] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const prompt = usePrompt()
  const close = useCloseOrder(summary.order_id, key)
  const refund = summary.refundable_amount
  const method = summary.payment_method_name ?? summary.payment_method ?? "payment"

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    const confirmed = await prompt({
      title: "Close this order?",
      description:
        refund > 0
          ? `${formatMoney(refund, summary.currency_code)} will be refunded to the customer's ${method} first${
              summary.payment_method_name ? " (a manual refund waits for your payout)" : ""
            }, then the order is canceled.`
          : "Nothing was paid, so nothing is refunded. The order is canceled.",
      confirmText: "Close order",
      cancelText: "Keep it open",
    })
    if (!confirmed) {
      return
    }
    // Awaited rather than per-call callbacks: a closed order unmounts this
    // drawer as soon as its summary arrives, and React Query drops the
    // callbacks of an unmounted caller, so the toast would never show.
    await close.mutateAsync({ reason, note: note || undefined, notify_customer: notify }).then(
      () => {
        toast.success("Order closed")
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
          Close order
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden">
          <Drawer.Header>
            <Drawer.Title>Close order</Drawer.Title>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            <Text size="small" className="text-ui-fg-subtle">
              {refund > 0 ? `Refunded first: ${formatMoney(refund, summary.currency_code)}` : "Nothing to refund"}
            </Text>
            {error && (
              <Alert variant="error" data-testid="payment-desk-close-error">
                {error}
              </Alert>
            )}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-close-reason">Reason</Label>
              <Select value={reason} onValueChange={setReason}>
                <Select.Trigger id="pd-close-reason">
                  <Select.Value />
                </Select.Trigger>
                <Select.Content>
                  {Object.entries(REASONS).map(([value, label]) => (
                    <Select.Item key={value} value={value}>
                      {label}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-close-note">Note</Label>
              <Textarea id="pd-close-note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            <div className="flex items-center gap-x-2">
              <Switch id="pd-close-notify" checked={notify} onCheckedChange={setNotify} />
              <Label htmlFor="pd-close-notify">Email the customer</Label>
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                Cancel
              </Button>
            </Drawer.Close>
            <Button size="small" variant="danger" type="submit" isLoading={close.isPending} disabled={close.isPending} data-testid="payment-desk-close-submit">
              Close order
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}

export { REASONS as CLOSE_REASON_LABELS }
