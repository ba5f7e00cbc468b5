import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ArrowDownTray } from "@medusajs/icons"
import { Button, createDataTableColumnHelper, createDataTableFilterHelper, DataTable, Text, toast, useDataTable } from "@medusajs/ui"
import { useMemo, useState } from "react"
import { Crumb, DeskPage, OrderLink, usePaginationTranslations } from "../../../components/desk-page"
import { AuditFilters, downloadAuditCsv, useAuditList } from "../../../hooks/use-audit"
import { useDeskTranslation } from "../../../hooks/use-desk-translation"
import { useKeysetPages, useRememberNext } from "../../../hooks/use-keyset-pages"
import { useReceiptMethods } from "../../../hooks/use-record-payment"
import { dateRange, filterValue, useTableState } from "../../../hooks/use-table-state"
import { formatDateTime, formatMoney } from "../../../lib/format"
import { actionLabel, ACTOR_TYPES, actorLabel, actorTypeLabel, AUDIT_ACTIONS, AUDIT_SOURCES, methodLabel, notesLabel, sourceLabel } from "../../../lib/labels"
import type { AuditEntry } from "../../../lib/types"

/**
 * One money event of the journal: an entry, or a refund with its lifecycle
 * (requested, paid out, failed, retried...) grouped under its newest step.
 */
type JournalRow = AuditEntry & { steps: AuditEntry[] }

const columnHelper = createDataTableColumnHelper<JournalRow>()
const filterHelper = createDataTableFilterHelper<JournalRow>()

/** The refund an entry belongs to, when it is a step of a refund's lifecycle. */
const refundOf = (entry: AuditEntry) => (entry.metadata as { refund_request_id?: string } | null | undefined)?.refund_request_id ?? null

/**
 * The page's entries as events, newest first: the entries of one refund
 * become one row (its newest step), the earlier steps listed under it.
 */
export function journalRows(entries: AuditEntry[]): JournalRow[] {
  const rows: JournalRow[] = []
  const byRefund = new Map<string, JournalRow>()
  for (const entry of entries) {
    const refund = refundOf(entry)
    const head = refund ? byRefund.get(refund) : undefined
    if (head) {
      head.steps.push(entry)
      continue
    }
    const row = { ...entry, steps: [] }
    rows.push(row)
    if (refund) byRefund.set(refund, row)
  }
  return rows
}

/** The earlier steps of a refund, behind a toggle. */
function Steps({ steps }: { steps: AuditEntry[] }) {
  const { t, locale } = useDeskTranslation()
  const [open, setOpen] = useState(false)
  if (!steps.length) {
    return null
  }
  return (
    <div className="flex flex-col gap-y-1">
      <button
        type="button"
        className="txt-compact-xsmall-plus text-ui-fg-interactive hover:text-ui-fg-interactive-hover w-fit"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        data-testid="audit-steps-toggle"
      >
        {open ? t("audit.hideSteps") : t("audit.showSteps", { count: steps.length })}
      </button>
      {open && (
        <ol className="flex flex-col gap-y-1" data-testid="audit-steps">
          {steps.map((step) => (
            <li key={step.id} className="txt-compact-xsmall text-ui-fg-subtle">
              {[
                formatDateTime(step.created_at, locale),
                actionLabel(t, step.action),
                actorLabel(t, { type: step.actor_type, id: step.actor_id, name: step.actor_name, email: step.actor_email }),
                notesLabel(t, step, locale),
              ]
                .filter(Boolean)
                .join(" · ")}
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

/** Every money action across orders, as a journal of events, with filters and a CSV export of exactly what is filtered. */
const AuditPage = () => {
  const { t, locale } = useDeskTranslation()
  const translations = usePaginationTranslations()
  const state = useTableState({ pageSize: 50 })
  const [exporting, setExporting] = useState<"readable" | "raw" | null>(null)
  const created = dateRange(state.filtering, "created_at")
  const filters: AuditFilters = {
    q: state.search || undefined,
    created_at_from: created.from,
    created_at_to: created.to,
    action: filterValue(state.filtering, "action"),
    actor_type: filterValue(state.filtering, "actor_type"),
    actor_id: filterValue(state.filtering, "actor_id"),
    order_id: filterValue(state.filtering, "order_id"),
    method: filterValue(state.filtering, "method"),
    source: filterValue(state.filtering, "source"),
  }
  // Next pages by keyset (a deep page costs what the first does); a page not reached by Next uses its offset.
  const keyset = useKeysetPages(JSON.stringify(filters), state.pagination.pageIndex)
  const { data, isLoading, error, isPlaceholderData } = useAuditList(filters, { ...state.page, after: keyset.after })
  useRememberNext(keyset.remember, isPlaceholderData ? null : data?.cursors?.last)
  const { data: methods } = useReceiptMethods()
  const rows = useMemo(() => journalRows(data?.audit_entries ?? []), [data])

  // Five columns that fit at 1280 px: what happened (and its steps), the order, the money, who.
  const columns = useMemo(
    () => [
      columnHelper.accessor("created_at", {
        header: t("columns.when"),
        size: 160,
        cell: ({ row }) => <span className="whitespace-nowrap">{formatDateTime(row.original.created_at, locale)}</span>,
      }),
      // Not the id "action": DataTable pins a column of that id as the narrow row-actions column (why
      // "Refund awaiting payout" showed as "Refun"). The others have set widths; this one takes the rest and wraps.
      columnHelper.accessor("action", {
        id: "event",
        header: t("columns.event"),
        meta: { ___truncateTooltip: false },
        cell: ({ row }) => (
          <div className="flex flex-col gap-y-0.5 whitespace-normal">
            <span>{actionLabel(t, row.original.action)}</span>
            {(row.original.reason_label || row.original.note || row.original.system_note) && (
              <span className="txt-compact-xsmall text-ui-fg-subtle">
                {[row.original.reason_label, notesLabel(t, row.original, locale)].filter(Boolean).join(" · ")}
              </span>
            )}
            <Steps steps={row.original.steps} />
          </div>
        ),
      }),
      columnHelper.accessor("order_display_id", {
        header: t("columns.order"),
        size: 90,
        cell: ({ row }) => <OrderLink orderId={row.original.order_id} displayId={row.original.order_display_id} />,
      }),
      columnHelper.accessor("amount", {
        header: t("columns.amount"),
        size: 190,
        meta: { ___truncateTooltip: false },
        cell: ({ row }) => (
          <div className="flex flex-col whitespace-normal">
            <span>
              {row.original.amount !== null && row.original.currency_code
                ? formatMoney(row.original.amount, row.original.currency_code, locale)
                : ""}
            </span>
            {(row.original.method || row.original.reference) && (
              <span className="txt-compact-xsmall text-ui-fg-subtle break-all">
                {[row.original.method ? methodLabel(t, row.original.method) : "", row.original.reference ?? ""].filter(Boolean).join(" · ")}
              </span>
            )}
          </div>
        ),
      }),
      columnHelper.accessor("actor_type", {
        header: t("columns.actor"),
        size: 180,
        meta: { ___truncateTooltip: false },
        cell: ({ row }) => (
          <div className="flex flex-col whitespace-normal">
            <span>
              {actorLabel(t, { type: row.original.actor_type, id: row.original.actor_id, name: row.original.actor_name, email: row.original.actor_email })}
            </span>
            {row.original.source === "medusa" && (
              <span className="txt-compact-xsmall text-ui-fg-subtle">{t("audit.inMedusa")}</span>
            )}
          </div>
        ),
      }),
    ],
    [t, locale]
  )

  const tableFilters = useMemo(
    () => [
      filterHelper.accessor("created_at", {
        type: "date",
        label: t("columns.when"),
        format: "date",
        rangeOptionLabel: t("table.customRange"),
        rangeOptionStartLabel: t("table.from"),
        rangeOptionEndLabel: t("table.to"),
        options: [],
      }),
      filterHelper.accessor("action", {
        type: "radio",
        label: t("columns.action"),
        options: AUDIT_ACTIONS.map((value) => ({ label: actionLabel(t, value), value })),
      }),
      filterHelper.accessor("actor_type", {
        type: "radio",
        label: t("columns.actor"),
        options: ACTOR_TYPES.map((value) => ({ label: actorTypeLabel(t, value), value })),
      }),
      filterHelper.accessor("method", {
        type: "radio",
        label: t("columns.method"),
        options: (methods?.receipt_methods ?? []).map((m) => ({ label: methodLabel(t, m.id, m.label), value: m.id })),
      }),
      filterHelper.accessor("source", {
        type: "radio",
        label: t("columns.source"),
        options: AUDIT_SOURCES.map((value) => ({ label: sourceLabel(t, value), value })),
      }),
    ],
    [t, methods]
  )

  const table = useDataTable({
    data: rows,
    columns,
    filters: tableFilters,
    getRowId: (row) => row.id,
    rowCount: data?.count ?? 0,
    isLoading,
    search: state.tableProps.search,
    filtering: state.tableProps.filtering,
    pagination: state.tableProps.pagination,
  })

  const onExport = async (format: "readable" | "raw") => {
    setExporting(format)
    const day = new Date().toISOString().slice(0, 10)
    const language = locale === "de" ? "de" : locale?.startsWith("zh") ? "zh-CN" : "en"
    await downloadAuditCsv(filters, `payment-desk-audit-${day}${format === "raw" ? "-raw" : ""}.csv`, { format, language }).then(
      () => toast.success(t("audit.exported")),
      (failure: Error) => toast.error(failure.message)
    )
    setExporting(null)
  }

  return (
    <DeskPage
      title={t("nav.audit")}
      description={t("audit.description")}
      testId="audit-page"
      actions={
        <div className="flex gap-x-2">
          <Button
            size="small"
            variant="transparent"
            onClick={() => onExport("raw")}
            isLoading={exporting === "raw"}
            disabled={!!exporting}
            data-testid="audit-export-raw"
          >
            {t("audit.exportRaw")}
          </Button>
          <Button
            size="small"
            variant="secondary"
            onClick={() => onExport("readable")}
            isLoading={exporting === "readable"}
            disabled={!!exporting}
            data-testid="audit-export"
          >
            <ArrowDownTray />
            {t("audit.exportReadable")}
          </Button>
        </div>
      }
    >
      <DataTable instance={table}>
        <DataTable.Toolbar translations={{ clearAll: t("table.clearAll") }}>
          <DataTable.FilterMenu tooltip={t("table.filter")} />
          <DataTable.Search placeholder={t("audit.search")} />
        </DataTable.Toolbar>
        {error && (
          <Text size="small" className="text-ui-fg-error px-6 py-4">
            {error.message}
          </Text>
        )}
        <DataTable.Table
          emptyState={{
            empty: { heading: t("audit.emptyHeading"), description: t("audit.emptyText") },
            filtered: { heading: t("table.noMatchHeading"), description: t("table.noMatchText") },
          }}
        />
        <DataTable.Pagination translations={translations} />
      </DataTable>
    </DeskPage>
  )
}

export const config = defineRouteConfig({ label: "paymentDesk.nav.audit", translationNs: "translation", rank: 5 })

export const handle = {
  breadcrumb: () => <Crumb k="nav.audit" />,
}

export default AuditPage
