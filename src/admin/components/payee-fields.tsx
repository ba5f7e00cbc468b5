import { Input, Label, Text } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { PayeeField, payeeFieldOf, payeeMessage } from "../lib/payee"

export { payeeFieldOf }

/** The payee as typed: account holder, IBAN, BIC (may be empty). */
export type PayeeValue = Record<PayeeField, string>

/** What the server takes as `payout_account`. */
export type PayoutAccountBody = { name: string; iban: string; bic?: string }

const EMPTY: PayeeValue = { name: "", iban: "", bic: "" }

/**
 * The state of a payee form: empty when `open` turns true, then filled from
 * `prefill` (the order's payer, or the refund's current payee) once it
 * arrives, unless the person has typed already.
 */
export function usePayeeForm(open: boolean, prefill: { name?: string | null; iban?: string | null; bic?: string | null } | null | undefined) {
  const [value, setValue] = useState<PayeeValue>(EMPTY)
  const [touched, setTouched] = useState(false)
  useEffect(() => {
    if (open) {
      setValue(EMPTY)
      setTouched(false)
    }
  }, [open])
  useEffect(() => {
    if (open && prefill && !touched) {
      setValue({ name: prefill.name ?? "", iban: prefill.iban ?? "", bic: prefill.bic ?? "" })
    }
  }, [open, prefill?.name, prefill?.iban, prefill?.bic, touched])
  const edit = (field: PayeeField, next: string) => {
    setTouched(true)
    setValue((current) => ({ ...current, [field]: next }))
  }
  const trimmed = { name: value.name.trim(), iban: value.iban.trim(), bic: value.bic.trim() }
  /** The body's `payout_account`, or undefined when both name and IBAN are empty. */
  const payoutAccount: PayoutAccountBody | undefined =
    trimmed.name || trimmed.iban ? { name: trimmed.name, iban: trimmed.iban, ...(trimmed.bic ? { bic: trimmed.bic } : {}) } : undefined
  return { value, edit, payoutAccount }
}

/**
 * Account holder, IBAN and optional BIC of the person a manual refund is paid
 * out to, with the server's message under the field it names. Shared by the
 * refund, close and payee drawers.
 */
export function PayeeFields({
  idPrefix,
  value,
  onChange,
  error,
  legend,
  hint,
  testId,
}: {
  idPrefix: string
  value: PayeeValue
  onChange: (field: PayeeField, value: string) => void
  error?: string | null
  legend?: string
  hint?: string
  testId?: string
}) {
  const { t } = useDeskTranslation()
  const failed = payeeFieldOf(error)
  const field = (name: PayeeField, label: string, mono: boolean) => {
    const id = `${idPrefix}-${name}`
    const message = failed === name && error ? payeeMessage(t, name, error) : null
    return (
      <div className="flex flex-col gap-y-2">
        <Label htmlFor={id}>{label}</Label>
        <Input
          id={id}
          className={mono ? "font-mono" : undefined}
          value={value[name]}
          aria-invalid={!!message}
          aria-describedby={message ? `${id}-error` : undefined}
          onChange={(e) => onChange(name, e.target.value)}
        />
        {message && (
          <Text size="small" id={`${id}-error`} className="text-ui-fg-error" data-testid={`${testId ?? idPrefix}-${name}-error`}>
            {message}
          </Text>
        )}
      </div>
    )
  }
  return (
    <fieldset className="flex flex-col gap-y-3" data-testid={testId}>
      {legend && <legend className="txt-compact-small-plus mb-1">{legend}</legend>}
      {hint && (
        <Text size="small" className="text-ui-fg-subtle">
          {hint}
        </Text>
      )}
      {field("name", t("refund.payeeName"), false)}
      {field("iban", t("bank.iban"), true)}
      {field("bic", t("refund.payeeBic"), true)}
    </fieldset>
  )
}
