import { Alert, Button, Drawer, Input, Label, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useBookBankReversal, useConfirmBankTransaction, useIgnoreBankTransaction, useOrderSearch } from "../hooks/use-bank-statements"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { formatMoney } from "../lib/format"
import { orderLabel } from "../lib/labels"
import type { BankLineOrder, BankTransaction } from "../lib/types"
import { ROW_ACTION_TOAST } from "../lib/toasts"

/** The order a line would be recorded on by "Confirm": its matched order, else its first suggestion. */
export function targetOrder(line: BankTransaction): BankLineOrder | null {
  return line.order ?? line.suggestions[0] ?? null
}

/** What confirming a line on `order` records, in words: a partial payment, or what is owed with the excess flagged. */
function confirmDescription(t: ReturnType<typeof useDeskTranslation>["t"], locale: string | undefined, line: BankTransaction, order: BankLineOrder) {
  const money = (value: number) => formatMoney(value, line.currency_code, locale)
  const label = orderLabel(order.display_id) ?? ""
  const sameOrder = line.order?.id === order.id
  if (sameOrder && line.amount_match === "over" && line.excess_amount) {
    return t("bankStatements.confirmOver", {
      amount: money(line.amount - line.excess_amount),
      excess: money(line.excess_amount),
      order: label,
    })
  }
  if (sameOrder && line.amount_match === "partial") {
    return t("bankStatements.confirmPartial", { amount: money(line.amount), order: label })
  }
  return t("bankStatements.confirmOn", { amount: money(line.amount), order: label })
}

/** Records a line on `order` after a neutral confirmation; shows the server's answer. */
function useConfirmLine() {
  const { t, locale } = useDeskTranslation()
  const prompt = usePrompt()
  const confirm = useConfirmBankTransaction()
  const run = async (line: BankTransaction, order: BankLineOrder, onError: (message: string) => void) => {
    const confirmed = await prompt({
      variant: "confirmation",
      title: t("bankStatements.confirmTitle"),
      description: confirmDescription(t, locale, line, order),
      confirmText: t("bankStatements.record"),
      cancelText: t("common.cancel"),
    })
    if (!confirmed) {
      return false
    }
    return confirm.mutateAsync({ id: line.id, order_id: order.id }).then(
      () => {
        toast.success(t("bankStatements.recordedToast"), {
          ...ROW_ACTION_TOAST,
          description: `${formatMoney(line.amount, line.currency_code, locale)} · ${orderLabel(order.display_id) ?? ""}`,
        })
        return true
      },
      (failure: Error) => {
        onError(failure.message)
        return false
      }
    )
  }
  return { run, isPending: confirm.isPending }
}

/** Books a reversed credit as a refund of the order's receipt, after a confirmation naming the amount and order. */
function BookReversalButton({ line, onError }: { line: BankTransaction; onError: (message: string) => void }) {
  const { t, locale } = useDeskTranslation()
  const prompt = usePrompt()
  const book = useBookBankReversal()
  const amount = formatMoney(line.amount, line.currency_code, locale)
  const order = orderLabel(line.order?.display_id) ?? ""
  const run = async () => {
    const confirmed = await prompt({
      variant: "confirmation",
      title: t("bankStatements.bookReversalTitle"),
      description: t("bankStatements.bookReversalDescription", { amount, order }),
      confirmText: t("bankStatements.bookReversal"),
      cancelText: t("common.cancel"),
    })
    if (!confirmed) {
      return
    }
    await book.mutateAsync({ id: line.id }).then(
      () => toast.success(t("bankStatements.reversalBookedToast"), { ...ROW_ACTION_TOAST, description: `${amount} · ${order}` }),
      (failure: Error) => onError(failure.message)
    )
  }
  return (
    <Button
      size="small"
      variant="secondary"
      disabled={!line.order || book.isPending}
      isLoading={book.isPending}
      data-testid="bank-line-book-reversal"
      onClick={() => void run()}
    >
      {t("bankStatements.bookReversal")}
    </Button>
  )
}

/**
 * Confirm on the suggested order, pick another order, or ignore with a note:
 * the review queue's actions for one line; a reversed credit offers "Book
 * reversal" instead of Confirm (confirming it would book nothing).
 */
export function BankLineActions({ line, onError }: { line: BankTransaction; onError: (message: string) => void }) {
  const { t } = useDeskTranslation()
  const { run, isPending } = useConfirmLine()
  const target = targetOrder(line)
  if (line.reversal && line.direction === "debit" && !line.refund_request_id) {
    return (
      <div className="flex items-center justify-end gap-x-1 whitespace-nowrap" onClick={(event) => event.stopPropagation()}>
        <BookReversalButton line={line} onError={onError} />
        <IgnoreLineDrawer line={line} />
      </div>
    )
  }
  return (
    <div className="flex items-center justify-end gap-x-1 whitespace-nowrap" onClick={(event) => event.stopPropagation()}>
      <Button
        size="small"
        variant="secondary"
        disabled={!target || isPending}
        isLoading={isPending}
        data-testid="bank-line-confirm"
        onClick={() => target && void run(line, target, onError)}
      >
        {t("bankStatements.confirm")}
      </Button>
      <PickOrderDrawer line={line} />
      <IgnoreLineDrawer line={line} />
    </div>
  )
}

/** Search an order by number and record the line on it. */
function PickOrderDrawer({ line }: { line: BankTransaction }) {
  const { t, locale } = useDeskTranslation()
  const [open, setOpen] = useState(false)
  const [q, setQ] = useState("")
  const [error, setError] = useState<string | null>(null)
  const { run, isPending } = useConfirmLine()
  const search = useOrderSearch(q.replace(/^#/, "").trim())
  const found = q.trim() ? search.data?.orders ?? [] : []
  return (
    <Drawer
      open={open}
      onOpenChange={(next) => {
        if (next) {
          setQ("")
          setError(null)
        }
        setOpen(next)
      }}
    >
      <Drawer.Trigger asChild>
        <Button size="small" variant="transparent" data-testid="bank-line-pick">
          {t("bankStatements.pickOrder")}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>{t("bankStatements.pickTitle")}</Drawer.Title>
          <Drawer.Description>
            {t("bankStatements.pickDescription", { amount: formatMoney(line.amount, line.currency_code, locale), payer: line.counterparty_name ?? "—" })}
          </Drawer.Description>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          {error && (
            <Alert variant="error" data-testid="bank-pick-error">
              {error}
            </Alert>
          )}
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="pd-bank-order-search">{t("bankStatements.orderNumber")}</Label>
            <Input id="pd-bank-order-search" type="search" placeholder="12" value={q} onChange={(event) => setQ(event.target.value)} autoFocus />
          </div>
          <div className="flex flex-col gap-y-2" data-testid="bank-pick-results">
            {q.trim() && !search.isFetching && found.length === 0 && (
              <Text size="small" className="text-ui-fg-subtle">
                {t("bankStatements.noOrderFound")}
              </Text>
            )}
            {found.map((order) => (
              <div key={order.id} className="shadow-borders-base flex items-center justify-between gap-x-3 rounded-lg px-3 py-2">
                <Text size="small">
                  <span className="txt-compact-small-plus">{orderLabel(order.display_id)}</span>
                  {order.email ? ` · ${order.email}` : ""}
                </Text>
                <Button
                  size="small"
                  variant="secondary"
                  disabled={isPending}
                  isLoading={isPending}
                  data-testid="bank-pick-record"
                  onClick={async () => {
                    setError(null)
                    if (await run(line, order, setError)) {
                      setOpen(false)
                    }
                  }}
                >
                  {t("bankStatements.recordHere")}
                </Button>
              </div>
            ))}
          </div>
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary" type="button">
              {t("common.cancel")}
            </Button>
          </Drawer.Close>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

/** Sets a line aside; the note saying why is required. */
function IgnoreLineDrawer({ line }: { line: BankTransaction }) {
  const { t, locale } = useDeskTranslation()
  const [open, setOpen] = useState(false)
  const [note, setNote] = useState("")
  const [noteError, setNoteError] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const ignore = useIgnoreBankTransaction()

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    if (!note.trim()) {
      setNoteError(t("bankStatements.noteRequired"))
      return
    }
    // Ignoring moves no money and the drawer already asked for the why: no second question.
    await ignore.mutateAsync({ id: line.id, note: note.trim() }).then(
      () => {
        toast.success(t("bankStatements.ignoredToast"), ROW_ACTION_TOAST)
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
          setNote("")
          setNoteError(null)
          setError(null)
        }
        setOpen(next)
      }}
    >
      <Drawer.Trigger asChild>
        <Button size="small" variant="transparent" data-testid="bank-line-ignore">
          {t("bankStatements.ignore")}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden" noValidate>
          <Drawer.Header>
            <Drawer.Title>{t("bankStatements.ignoreTitle")}</Drawer.Title>
            <Drawer.Description>
              {t("bankStatements.ignoreDescription", { amount: formatMoney(line.amount, line.currency_code, locale), payer: line.counterparty_name ?? "—" })}{" "}
              {t("bankStatements.ignoreHelp")}
            </Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            {error && (
              <Alert variant="error" data-testid="bank-ignore-error">
                {error}
              </Alert>
            )}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-bank-ignore-note">{t("common.note")}</Label>
              <Textarea
                id="pd-bank-ignore-note"
                value={note}
                aria-invalid={!!noteError}
                onChange={(event) => {
                  setNote(event.target.value)
                  setNoteError(null)
                }}
              />
              {noteError && (
                <Text size="small" className="text-ui-fg-error" data-testid="bank-ignore-note-error">
                  {noteError}
                </Text>
              )}
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                {t("common.cancel")}
              </Button>
            </Drawer.Close>
            <Button size="small" type="submit" isLoading={ignore.isPending} disabled={ignore.isPending} data-testid="bank-ignore-submit">
              {t("bankStatements.ignore")}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
