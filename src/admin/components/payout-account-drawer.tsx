import { Alert, Badge, Button, Drawer, Text, toast } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { useSetPayoutAccount } from "../hooks/use-refunds"
import { formatMoney } from "../lib/format"
import { payeeLine } from "../lib/payee"
import type { RefundRequest } from "../lib/types"
import { PayeeFields, payeeFieldOf, usePayeeForm } from "./payee-fields"

/** A manual refund whose payee may still be set: awaiting payout and in no SEPA export. */
export function canSetPayee(refund: RefundRequest): boolean {
  return refund.status === "awaiting_payout" && !refund.payout_export_id && (!!refund.payee || !!refund.needs_payee)
}

/** "No payee": a manual refund awaiting payout with nobody to pay. */
export function NoPayeeBadge({ refund }: { refund: RefundRequest }) {
  const { t } = useDeskTranslation()
  if (!refund.needs_payee) {
    return null
  }
  return (
    <Badge size="2xsmall" color="orange" data-testid="payment-desk-no-payee">
      {t("payee.none")}
    </Badge>
  )
}

/**
 * "Add payee" / "Change payee" for a manual refund awaiting payout: account
 * holder, IBAN and BIC, posted to the refund's payout account. Not offered
 * once a SEPA export holds the refund; if one took it meanwhile, the
 * server's refusal is shown.
 */
export function PayoutAccountDrawer({ refund, orderId }: { refund: RefundRequest; orderId?: string }) {
  const { t, locale } = useDeskTranslation()
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const save = useSetPayoutAccount(orderId ?? refund.order_id)
  const current = refund.payee ?? null
  // The IBAN comes back masked: only the name and BIC can be filled in again.
  const payee = usePayeeForm(open, current ? { name: current.name, bic: current.bic } : null)
  const money = formatMoney(refund.amount, refund.currency_code, locale)

  if (!canSetPayee(refund)) {
    return null
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    const body = payee.payoutAccount ?? { name: "", iban: "" }
    await save.mutateAsync({ id: refund.id, ...body }).then(
      () => {
        toast.success(t("payee.toast"))
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
          setError(null)
        }
        setOpen(next)
      }}
    >
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" data-testid="payment-desk-payee-open">
          {current ? t("payee.change") : t("payee.add")}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden" noValidate>
          <Drawer.Header>
            <Drawer.Title>{current ? t("payee.change") : t("payee.add")}</Drawer.Title>
            <Drawer.Description>{t("payee.description", { amount: money })}</Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            {error && !payeeFieldOf(error) && (
              <Alert variant="error" data-testid="payment-desk-payee-error">
                {error}
              </Alert>
            )}
            {current && (
              <Text size="small" className="text-ui-fg-subtle" data-testid="payment-desk-payee-current">
                {t(current.source === "bank_line" ? "payee.currentFromStatement" : "payee.current", { payee: payeeLine(current) })}
              </Text>
            )}
            <PayeeFields idPrefix="pd-payee" testId="payment-desk-payee-fields" value={payee.value} onChange={payee.edit} error={error} />
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                {t("common.cancel")}
              </Button>
            </Drawer.Close>
            <Button size="small" type="submit" isLoading={save.isPending} disabled={save.isPending} data-testid="payment-desk-payee-submit">
              {t("payee.submit")}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
