import { ArrowUpTray } from "@medusajs/icons"
import { Alert, Button, Label, Select, Text, toast } from "@medusajs/ui"
import { DragEvent, useRef, useState } from "react"
import { useCsvProfiles, useImportBankStatement } from "../hooks/use-bank-statements"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import type { BankStatement, SkippedBankEntry } from "../lib/types"

/** The statement formats the server reads, as the upload's `format` field names them. */
export const STATEMENT_FORMATS = ["camt.053", "camt.054", "mt940", "csv"] as const

const AUTO = "auto"

/**
 * Where the booking of an import stands, in words ("Booking 1,200 of 9,000
 * lines…", "All 9,000 lines booked"); null for an import booked in the upload.
 */
export function bookingProgressText(
  t: (key: string, options?: Record<string, unknown>) => string,
  statement: Pick<BankStatement, "booking_progress">,
  locale?: string
): string | null {
  const progress = statement.booking_progress
  if (!progress?.to_book) {
    return null
  }
  const count = (n: number) => n.toLocaleString(locale)
  return progress.remaining > 0
    ? t("bankStatements.booking.progress", { booked: count(progress.booked), total: count(progress.to_book) })
    : t("bankStatements.booking.done", { total: count(progress.to_book) })
}

/** What one import did, as counts a merchant reads; while the workers book its lines, how far they are. */
export function ImportSummary({ statement }: { statement: BankStatement }) {
  const { t, locale } = useDeskTranslation()
  const progress = bookingProgressText(t, statement, locale)
  const figures: { key: string; value: number }[] = [
    { key: "entries", value: statement.entries },
    { key: "lines", value: statement.lines },
    { key: "credits", value: statement.credits },
    // Shown while the workers book: recorded + waiting + ignored + being booked + skipped = entries at every moment.
    ...(statement.booking > 0 ? [{ key: "booking", value: statement.booking }] : []),
    { key: "recorded", value: statement.recorded },
    { key: "review", value: statement.review },
    { key: "ignored", value: statement.ignored },
    { key: "duplicates", value: statement.duplicates },
    { key: "payouts", value: statement.payouts_recorded },
    // Shown only when the file had such rows (CSV): read, and deliberately not imported.
    ...(statement.pending ? [{ key: "pending", value: statement.pending }] : []),
    ...(statement.summary_rows?.length ? [{ key: "summaryRows", value: statement.summary_rows.length }] : []),
  ]
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="bank-import-summary">
      <Text size="small" weight="plus">
        {t("bankStatements.summaryTitle", { file: statement.file_name })}
      </Text>
      {progress && (
        <Text size="small" className={statement.booking > 0 ? "text-ui-fg-interactive" : "text-ui-fg-subtle"} data-testid="bank-booking-progress">
          {progress}
        </Text>
      )}
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-8">
        {figures.map((figure) => (
          <div key={figure.key} className="bg-ui-bg-subtle shadow-borders-base rounded-lg px-3 py-2" data-testid={`bank-summary-${figure.key}`}>
            <dt className="txt-compact-xsmall text-ui-fg-subtle">{t(`bankStatements.counts.${figure.key}`)}</dt>
            <dd className="txt-compact-large-plus" data-testid="bank-summary-value">
              {figure.value}
            </dd>
          </div>
        ))}
      </dl>
      {statement.skipped?.length ? <SkippedEntries entries={statement.skipped} /> : null}
    </div>
  )
}

/** The entries an import stored as no line, each with why (a duplicate names the earlier line and file). */
function SkippedEntries({ entries }: { entries: SkippedBankEntry[] }) {
  const { t } = useDeskTranslation()
  return (
    <div className="flex flex-col gap-y-1" data-testid="bank-import-skipped">
      <Text size="small" weight="plus">
        {t("bankStatements.skipped.title")}
      </Text>
      <ul className="txt-compact-small text-ui-fg-subtle">
        {entries.map((entry, index) => (
          <li key={`${entry.line}-${index}`} data-testid="bank-skipped-entry">
            {t("bankStatements.skipped.line", { line: entry.line })}
            {entry.amount ? ` · ${entry.amount} ${entry.currency_code?.toUpperCase() ?? ""}` : ""}
            {entry.booking_date ? ` · ${entry.booking_date}` : ""}
            {" · "}
            {t(`bankStatements.skipped.reasons.${entry.reason}`, { account: entry.account ?? "" })}
            {entry.duplicate_of
              ? ` (${t("bankStatements.skipped.duplicateOf", { line: entry.duplicate_of.line, file: entry.duplicate_of.file_name })})`
              : ""}
          </li>
        ))}
      </ul>
    </div>
  )
}

/** The upload zone: drop a statement file or pick one; format detected unless chosen, CSV profile when the store has some. */
export function BankStatementUpload({ onImported }: { onImported: (statement: BankStatement) => void }) {
  const { t, locale } = useDeskTranslation()
  const input = useRef<HTMLInputElement>(null)
  const [format, setFormat] = useState<string>(AUTO)
  const [profile, setProfile] = useState<string>("")
  const [dragging, setDragging] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { data: profiles } = useCsvProfiles()
  const upload = useImportBankStatement()
  const profileNames = profiles?.csv_profiles ?? []

  const send = async (file: File | undefined) => {
    if (!file || upload.isPending) {
      return
    }
    setError(null)
    await upload
      .mutateAsync({ file, format: format === AUTO ? undefined : format, profile: profile || undefined })
      .then(
        ({ bank_statement }) => {
          toast.success(t("bankStatements.toast"), {
            description:
              bank_statement.booking > 0
                ? bookingProgressText(t, bank_statement, locale)
                : t("bankStatements.toastText", {
                    recorded: bank_statement.recorded,
                    review: bank_statement.review,
                    duplicates: bank_statement.duplicates,
                  }),
          })
          onImported(bank_statement)
        },
        (failure: Error) => setError(failure.message)
      )
    if (input.current) {
      input.current.value = ""
    }
  }

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault()
    setDragging(false)
    void send(event.dataTransfer.files?.[0])
  }

  return (
    <div className="flex flex-col gap-y-4 px-6 py-4">
      <div className="flex flex-wrap items-end gap-4">
        <div className="flex w-56 flex-col gap-y-2">
          <Label htmlFor="pd-statement-format" size="small">
            {t("bankStatements.format")}
          </Label>
          <Select value={format} onValueChange={setFormat} size="small">
            <Select.Trigger id="pd-statement-format" data-testid="bank-statement-format">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value={AUTO}>{t("bankStatements.formatAuto")}</Select.Item>
              {STATEMENT_FORMATS.map((f) => (
                <Select.Item key={f} value={f}>
                  {t(`bankStatements.formats.${f.replace(".", "")}`)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </div>
        {profileNames.length > 0 && (
          <div className="flex w-56 flex-col gap-y-2">
            <Label htmlFor="pd-statement-profile" size="small">
              {t("bankStatements.profile")}
            </Label>
            <Select value={profile} onValueChange={setProfile} size="small">
              <Select.Trigger id="pd-statement-profile">
                <Select.Value placeholder={t("bankStatements.noProfile")} />
              </Select.Trigger>
              <Select.Content>
                {profileNames.map((name) => (
                  <Select.Item key={name} value={name}>
                    {name}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select>
          </div>
        )}
      </div>
      <div
        role="button"
        tabIndex={0}
        aria-disabled={upload.isPending}
        data-testid="bank-statement-dropzone"
        onClick={() => input.current?.click()}
        onKeyDown={(event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault()
            input.current?.click()
          }
        }}
        onDragOver={(event) => {
          event.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex cursor-pointer flex-col items-center justify-center gap-y-2 rounded-lg border border-dashed px-6 py-6 text-center transition-colors ${
          dragging ? "border-ui-border-interactive bg-ui-bg-highlight" : "border-ui-border-strong bg-ui-bg-component hover:bg-ui-bg-component-hover"
        }`}
      >
        <ArrowUpTray className="text-ui-fg-muted" />
        <Text size="small" weight="plus">
          {upload.isPending ? t("bankStatements.uploading") : t("bankStatements.dropTitle")}
        </Text>
        <Text size="xsmall" className="text-ui-fg-subtle">
          {t("bankStatements.dropHint")}
        </Text>
        <Button size="small" variant="secondary" type="button" isLoading={upload.isPending} disabled={upload.isPending} tabIndex={-1}>
          {t("bankStatements.choose")}
        </Button>
        <input
          ref={input}
          type="file"
          className="hidden"
          accept=".xml,.sta,.mt940,.940,.txt,.csv,text/xml,application/xml,text/csv,text/plain"
          data-testid="bank-statement-file"
          onClick={(event) => event.stopPropagation()}
          onChange={(event) => void send(event.target.files?.[0])}
        />
      </div>
      {error && (
        <Alert variant="error" dismissible data-testid="bank-statement-error">
          {error}
        </Alert>
      )}
    </div>
  )
}
