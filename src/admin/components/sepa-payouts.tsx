import { Button, Container, Heading, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useQueryClient } from "@tanstack/react-query"
import { downloadSepaPayouts, usePayoutExports } from "../hooks/use-bank-statements"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { formatDateTime, formatMoney } from "../lib/format"
import { orderLabel } from "../lib/labels"
import { Link } from "react-router-dom"
import type { Translate } from "../hooks/use-desk-translation"

/** Why a refund is not in the next file, in the admin's language (the server's English for a code this admin does not know). */
function sepaSkipLabel(t: Translate, skipped: { code?: string; reason: string }): string {
  const key = `bankStatements.sepaSkip.${skipped.code}`
  const text = skipped.code ? t(key) : key
  return text === key || text === `paymentDesk.${key}` ? skipped.reason : text
}

/**
 * The SEPA payout file: the download button says what the file will pay and
 * asks first (those refunds are then exported and stay out of the next
 * file); the earlier files are listed, each with an explicit "Export again".
 */
export function SepaPayouts() {
  const { t, locale } = useDeskTranslation()
  const prompt = usePrompt()
  const queryClient = useQueryClient()
  const { data } = usePayoutExports()
  const [running, setRunning] = useState<string | null>(null)
  const next = data?.next_export

  const run = async (exportId: string | null, description: string) => {
    const confirmed = await prompt({
      title: exportId ? t("bankStatements.sepaReExport") : t("bankStatements.sepa"),
      description,
      confirmText: exportId ? t("bankStatements.sepaReExport") : t("bankStatements.sepa"),
      cancelText: t("common.cancel"),
    })
    if (!confirmed) {
      return
    }
    setRunning(exportId ?? "next")
    await downloadSepaPayouts(exportId).then(
      (file) => {
        toast.success(t("bankStatements.sepaToast"), { description: t("bankStatements.sepaDownloaded", { file: file.name, count: file.count }) })
        if (file.skipped > 0) {
          toast.warning(t("bankStatements.sepaDownloadedSkipped", { count: file.skipped }))
        }
      },
      (failure: Error) =>
        toast.error(t("bankStatements.sepaNothing"), {
          // The refunds left out are listed below in the admin's language; other refusals say why themselves.
          description: !exportId && next?.skipped.length ? t("bankStatements.sepaNothingSkipped") : failure.message,
        })
    )
    setRunning(null)
    await queryClient.invalidateQueries({ queryKey: ["payment-desk", "payout-exports"] })
  }

  // An earlier file by the message id the bank knows it by, never the export's own id.
  const reExportOf = (exportId: string | null) =>
    exportId ? data?.payout_exports.find((file) => file.id === exportId)?.message_id ?? null : null
  const payees = (next?.payments ?? []).map((p) => `${p.creditor_name} (${p.iban_masked}) ${formatMoney(Number(p.amount), "eur", locale)}`)
  return (
    <Container className="divide-y p-0" data-testid="bank-sepa">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h2">{t("bankStatements.sepaTitle")}</Heading>
          <Text size="small" className="text-ui-fg-subtle" data-testid="bank-sepa-next">
            {next && next.payment_count > 0
              ? t("bankStatements.sepaNext", { count: next.payment_count, total: formatMoney(Number(next.total), "eur", locale) })
              : t("bankStatements.sepaNextNone")}
            {next && next.skipped.length > 0 ? ` · ${t("bankStatements.sepaSkipped", { count: next.skipped.length })}` : ""}
          </Text>
        </div>
        <Button
          size="small"
          variant="secondary"
          isLoading={running === "next"}
          disabled={!!running || !next || next.payment_count === 0}
          onClick={() => run(null, t("bankStatements.sepaConfirm", { count: next?.payment_count ?? 0, payees: payees.join("; ") }))}
          data-testid="bank-sepa-download"
        >
          {t("bankStatements.sepa")}
        </Button>
      </div>
      {next && next.skipped.length > 0 && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="bank-sepa-skipped">
          <Text size="small" weight="plus">
            {t("bankStatements.sepaSkippedTitle")}
          </Text>
          <ul className="flex flex-col gap-y-2">
            {next.skipped.map((skipped) => (
              <li key={skipped.refund_request_id} className="flex flex-col">
                <Text size="small">
                  {skipped.order_id ? (
                    <Link to={`/orders/${skipped.order_id}`} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover">
                      {orderLabel(skipped.order_display_id)}
                    </Link>
                  ) : null}
                  {" · "}
                  {[skipped.customer_name, skipped.amount && skipped.currency_code ? formatMoney(Number(skipped.amount), skipped.currency_code, locale) : ""]
                    .filter(Boolean)
                    .join(" · ")}
                </Text>
                <Text size="small" className="text-ui-fg-subtle">
                  {sepaSkipLabel(t, skipped)}
                </Text>
              </li>
            ))}
          </ul>
        </div>
      )}
      {(data?.payout_exports ?? []).length === 0 ? (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          {t("bankStatements.sepaNoExports")}
        </Text>
      ) : (
        (data?.payout_exports ?? []).map((file) => (
          <div key={file.id} className="flex items-center justify-between px-6 py-3" data-testid="bank-sepa-export">
            <div>
              <Text size="small" weight="plus" className="font-mono">
                {file.message_id}
                {reExportOf(file.re_export_of) ? ` · ${t("bankStatements.sepaReExportOf", { id: reExportOf(file.re_export_of) })}` : ""}
              </Text>
              <Text size="small" className="text-ui-fg-subtle">
                {t("bankStatements.sepaExportLine", {
                  date: formatDateTime(file.created_at, locale),
                  name: file.exported_by.name,
                  count: file.payment_count,
                  total: formatMoney(Number(file.total), file.currency_code, locale),
                })}
              </Text>
            </div>
            <Button
              size="small"
              variant="transparent"
              isLoading={running === file.id}
              disabled={!!running || file.re_exportable.length === 0}
              onClick={() => run(file.id, t("bankStatements.sepaReExportConfirm", { message_id: file.message_id, count: file.re_exportable.length }))}
              data-testid="bank-sepa-reexport"
            >
              {t("bankStatements.sepaReExport")}
            </Button>
          </div>
        ))
      )}
    </Container>
  )
}
