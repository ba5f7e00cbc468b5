import { Alert, Button, Drawer, Input, Label, Textarea, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { useRecordPayout } from "../hooks/use-refunds"
import { formatMoney } from "../lib/format"
import type { RefundRequest } from "../lib/types"

function localNow(): string {
  const now = new Date()
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset())
  return now.toISOString().slice(0, 16)
}

/** "Record payout" for a manual refund: the transfer's reference, when it was paid, a note. */
export function RecordPayoutDrawer({ refund, orderId }: { refund: RefundRequest; orderId?: string }) {
  const { t, locale } = useDeskTranslation()
  const [open, setOpen] = useState(false)
  const [reference, setReference] = useState("")
  const [paidAt, setPaidAt] = useState(localNow)
  const [note, setNote] = useState("")
  const [error, setError] = useState<string | null>(null)
  const prompt = usePrompt()
  const payout = useRecordPayout(orderId ?? refund.order_id)
  const money = formatMoney(refund.amount, refund.currency_code, locale)

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    if (!reference.trim()) {
      setError(t("payout.referenceRequired"))
      return
    }
    const confirmed = await prompt({
      variant: "confirmation",
      title: t("payout.confirmTitle"),
      description: t("payout.confirmDescription", { amount: money, reference }),
      confirmText: t("payout.submit"),
      cancelText: t("common.cancel"),
    })
    if (!confirmed) {
      return
    }
    await payout
      .mutateAsync({
        id: refund.id,
        reference: reference.trim(),
        paid_at: paidAt ? new Date(paidAt).toISOString() : undefined,
        note: note || undefined,
      })
      .then(
        () => {
          toast.success(t("payout.toast"))
          setOpen(false)
        },
        (failure: Error) => setError(failure.message)
      )
  }

  return (
    <Drawer
      open={open}
      onOpenChange={(next) => {
        if (next) {
          setReference("")
          setPaidAt(localNow())
          setNote("")
          setError(null)
        }
        setOpen(next)
      }}
    >
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" data-testid="payment-desk-payout-open">
          {t("payout.open")}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden">
          <Drawer.Header>
            <Drawer.Title>{t("payout.title")}</Drawer.Title>
            <Drawer.Description>{t("payout.description", { amount: money })}</Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            {error && (
              <Alert variant="error" data-testid="payment-desk-payout-error">
                {error}
              </Alert>
            )}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-payout-reference">{t("common.reference")}</Label>
              <Input
                id="pd-payout-reference"
                placeholder={t("payout.referencePlaceholder")}
                value={reference}
                onChange={(e) => setReference(e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-payout-paid-at">{t("payout.paidAt")}</Label>
              <Input id="pd-payout-paid-at" type="datetime-local" value={paidAt} onChange={(e) => setPaidAt(e.target.value)} />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-payout-note">{t("common.note")}</Label>
              <Textarea id="pd-payout-note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                {t("common.cancel")}
              </Button>
            </Drawer.Close>
            <Button size="small" type="submit" isLoading={payout.isPending} disabled={payout.isPending} data-testid="payment-desk-payout-submit">
              {t("payout.submit")}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
