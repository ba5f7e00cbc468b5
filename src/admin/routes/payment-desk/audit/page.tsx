import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ArrowDownTray } from "@medusajs/icons"
import { Button, createDataTableColumnHelper, createDataTableFilterHelper, DataTable, Text, toast, useDataTable } from "@medusajs/ui"
import { useMemo, useState } from "react"
import { Crumb, DeskPage, OrderLink, usePaginationTranslations } from "../../../components/desk-page"
import { AuditFilters, downloadAuditCsv, useAuditList } from "../../../hooks/use-audit"
import { useDeskTranslation } from "../../../hooks/use-desk-translation"
import { useReceiptMethods } from "../../../hooks/use-record-payment"
import { dateRange, filterValue, useTableState } from "../../../hooks/use-table-state"
import { formatDateTime, formatMoney } from "../../../lib/format"
import { actionLabel, ACTOR_TYPES, actorLabel, actorTypeLabel, AUDIT_ACTIONS, AUDIT_SOURCES, methodLabel, notesLabel, sourceLabel } from "../../../lib/labels"
import type { AuditEntry } from "../../../lib/types"

const columnHelper = createDataTableColumnHelper<AuditEntry>()
const filterHelper = createDataTableFilterHelper<AuditEntry>()

/** Every money action across orders, with filters and a CSV export of exactly what is filtered. */
const AuditPage = () => {
  const { t, locale } = useDeskTranslation()
  const translations = usePaginationTranslations()
  const state = useTableState({ pageSize: 50 })
  const [exporting, setExporting] = useState(false)
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
  const { data, isLoading, error } = useAuditList(filters, state.page)
  const { data: methods } = useReceiptMethods()

  const columns = useMemo(
    () => [
      columnHelper.accessor("created_at", {
        header: t("columns.when"),
        cell: ({ row }) => formatDateTime(row.original.created_at, locale),
      }),
      columnHelper.accessor("action", {
        header: t("columns.action"),
        cell: ({ row }) => (
          // Wide enough for "Refund awaiting payout" on one line: the table shares width out evenly.
          <div className="flex min-w-[200px] flex-col whitespace-normal">
            <span>{actionLabel(t, row.original.action)}</span>
            {(row.original.reason_label || row.original.note || row.original.system_note) && (
              <span className="txt-compact-xsmall text-ui-fg-subtle">
                {[row.original.reason_label, notesLabel(t, row.original, locale)].filter(Boolean).join(" · ")}
              </span>
            )}
          </div>
        ),
      }),
      columnHelper.accessor("order_display_id", {
        header: t("columns.order"),
        cell: ({ row }) => <OrderLink orderId={row.original.order_id} displayId={row.original.order_display_id} />,
      }),
      columnHelper.accessor("amount", {
        header: t("columns.amount"),
        cell: ({ row }) =>
          row.original.amount !== null && row.original.currency_code
            ? formatMoney(row.original.amount, row.original.currency_code, locale)
            : "",
      }),
      columnHelper.accessor("method", {
        header: t("columns.method"),
        cell: ({ row }) => methodLabel(t, row.original.method),
      }),
      columnHelper.accessor("actor_type", {
        header: t("columns.actor"),
        cell: ({ row }) =>
          actorLabel(t, { type: row.original.actor_type, id: row.original.actor_id, name: row.original.actor_name, email: row.original.actor_email }),
      }),
      columnHelper.accessor("reference", {
        header: t("common.reference"),
        cell: ({ row }) => row.original.reference ?? "",
      }),
      columnHelper.accessor("source", {
        header: t("columns.source"),
        cell: ({ row }) => sourceLabel(t, row.original.source ?? "payment_desk"),
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
    data: data?.audit_entries ?? [],
    columns,
    filters: tableFilters,
    getRowId: (row) => row.id,
    rowCount: data?.count ?? 0,
    isLoading,
    search: state.tableProps.search,
    filtering: state.tableProps.filtering,
    pagination: state.tableProps.pagination,
  })

  const onExport = async () => {
    setExporting(true)
    const day = new Date().toISOString().slice(0, 10)
    await downloadAuditCsv(filters, `payment-desk-audit-${day}.csv`).then(
      () => toast.success(t("audit.exported")),
      (failure: Error) => toast.error(failure.message)
    )
    setExporting(false)
  }

  return (
    <DeskPage
      title={t("nav.audit")}
      description={t("audit.description")}
      testId="audit-page"
      actions={
        <Button size="small" variant="secondary" onClick={onExport} isLoading={exporting} disabled={exporting} data-testid="audit-export">
          <ArrowDownTray />
          {t("audit.export")}
        </Button>
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
