import { Alert, Button, Drawer, Input, Label, Select, Switch, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useIssueRefund, useRefundReasons } from "../hooks/use-refunds"
import { formatMoney } from "../lib/format"
import type { OrderPaymentSummary } from "../lib/types"

const newKey = () => `refund-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

/** The refund form: amount (at most the refundable amount), Medusa refund reason, note, notify toggle. */
export function IssueRefundDrawer({ summary }: { summary: OrderPaymentSummary }) {
  const [open, setOpen] = useState(false)
  const [key, setKey] = useState(newKey)
  const [amount, setAmount] = useState("")
  const [reason, setReason] = useState("")
  const [note, setNote] = useState("")
  const [notify, setNotify] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const prompt = usePrompt()
  const { data: reasons } = useRefundReasons()
  const issue = useIssueRefund(summary.order_id, key)

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    const value = Number(amount)
    const confirmed = await prompt({
      title: "Refund the customer?",
      description: `${formatMoney(value, summary.currency_code)} (${summary.currency_code.toUpperCase()}) will be refunded to the customer's ${summary.payment_method_name ?? summary.payment_method ?? "payment"}.`,
      confirmText: "Refund",
      cancelText: "Cancel",
    })
    if (!confirmed) {
      return
    }
    issue.mutate(
      { amount: value, refund_reason_id: reason || undefined, note: note || undefined, notify_customer: notify },
      {
        onSuccess: ({ refund_request }) => {
          toast.success("Refund issued", { description: `${formatMoney(value, summary.currency_code)} · ${refund_request.status.replace("_", " ")}` })
          setOpen(false)
        },
        onError: (failure: Error & { status?: number }) => {
          setError(failure.message)
          if (failure.status && failure.status < 500) {
            setKey(newKey())
          }
        },
      }
    )
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
          setKey(newKey())
        }
        setOpen(next)
      }}
    >
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" disabled={summary.refundable_amount <= 0} data-testid="payment-desk-refund-open">
          Refund
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden">
          <Drawer.Header>
            <Drawer.Title>Refund</Drawer.Title>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            <Text size="small" className="text-ui-fg-subtle">
              Refundable: {formatMoney(summary.refundable_amount, summary.currency_code)}
            </Text>
            {error && (
              <Alert variant="error" data-testid="payment-desk-refund-error">
                {error}
              </Alert>
            )}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-refund-amount">Amount ({summary.currency_code.toUpperCase()})</Label>
              <Input id="pd-refund-amount" type="number" step="any" min="0" required value={amount} onChange={(e) => setAmount(e.target.value)} />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-refund-reason">Reason</Label>
              <Select value={reason} onValueChange={setReason}>
                <Select.Trigger id="pd-refund-reason">
                  <Select.Value placeholder="No reason" />
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
              <Label htmlFor="pd-refund-note">Note</Label>
              <Textarea id="pd-refund-note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            <div className="flex items-center gap-x-2">
              <Switch id="pd-refund-notify" checked={notify} onCheckedChange={setNotify} />
              <Label htmlFor="pd-refund-notify">Notify the customer</Label>
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                Cancel
              </Button>
            </Drawer.Close>
            <Button size="small" type="submit" isLoading={issue.isPending} disabled={issue.isPending} data-testid="payment-desk-refund-submit">
              Refund
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
