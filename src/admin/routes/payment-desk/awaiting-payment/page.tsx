import { defineRouteConfig } from "@medusajs/admin-sdk"
import {
  Button,
  createDataTableColumnHelper,
  createDataTableFilterHelper,
  DataTable,
  StatusBadge,
  Text,
  useDataTable,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { Crumb, CustomerCell, DeskPage, OrderLink, usePaginationTranslations } from "../../../components/desk-page"
import { RecordPaymentDrawer } from "../../../components/record-payment-drawer"
import { useAwaitingPayment } from "../../../hooks/use-awaiting-payment"
import { useDeskTranslation } from "../../../hooks/use-desk-translation"
import { useKeysetPages, useRememberNext } from "../../../hooks/use-keyset-pages"
import { useOrderPaymentSummary } from "../../../hooks/use-order-payment-summary"
import { useReceiptMethods } from "../../../hooks/use-record-payment"
import { filterValue, useTableState } from "../../../hooks/use-table-state"
import { formatDateTime, formatMoney, formatReference } from "../../../lib/format"
import { methodLabel } from "../../../lib/labels"
import type { AwaitingPaymentOrder } from "../../../lib/types"

const columnHelper = createDataTableColumnHelper<AwaitingPaymentOrder>()
const filterHelper = createDataTableFilterHelper<AwaitingPaymentOrder>()

/** The record-payment drawer for one row: loads the order's summary, then opens. */
function RecordFromRow({ orderId, onClose }: { orderId: string; onClose: () => void }) {
  const { data: summary } = useOrderPaymentSummary(orderId)
  if (!summary) {
    return null
  }
  return <RecordPaymentDrawer summary={summary} open trigger={null} onOpenChange={(open) => !open && onClose()} />
}

/** Orders with money still due: overdue first, with a quick "Record payment" per row. */
const AwaitingPaymentPage = () => {
  const { t, locale } = useDeskTranslation()
  const translations = usePaginationTranslations()
  const [recording, setRecording] = useState<string | null>(null)
  const state = useTableState({ sorting: { id: "pay_by", desc: false } })
  const overdue = filterValue(state.filtering, "overdue")
  const listed = {
    q: state.search || undefined,
    method: filterValue(state.filtering, "method"),
    overdue: overdue === undefined ? undefined : overdue === "true",
    order: state.sorting ? `${state.sorting.desc ? "-" : ""}${state.sorting.id}` : undefined,
    limit: state.page.limit,
  }
  // Next pages by keyset (sorted by pay-by date or order number; by amount due, the server gives no cursors).
  const keyset = useKeysetPages(JSON.stringify(listed), state.pagination.pageIndex)
  const { data, isLoading, error, isPlaceholderData } = useAwaitingPayment({ ...listed, offset: state.page.offset, after: keyset.after })
  useRememberNext(keyset.remember, isPlaceholderData ? null : data?.cursors?.last)
  const { data: methods } = useReceiptMethods()

  const columns = useMemo(
    () => [
      columnHelper.accessor("display_id", {
        header: t("columns.order"),
        enableSorting: true,
        sortLabel: t("columns.order"),
        sortAscLabel: t("table.ascending"),
        sortDescLabel: t("table.descending"),
        cell: ({ row }) => <OrderLink orderId={row.original.order_id} displayId={row.original.display_id} />,
      }),
      columnHelper.accessor("customer", {
        header: t("columns.customer"),
        cell: ({ row }) => <CustomerCell customer={row.original.customer} />,
      }),
      columnHelper.accessor("method", {
        header: t("columns.method"),
        cell: ({ row }) => methodLabel(t, row.original.method, row.original.method_name),
      }),
      columnHelper.accessor("amount_due", {
        header: t("columns.amountDue"),
        enableSorting: true,
        sortLabel: t("columns.amountDue"),
        sortAscLabel: t("table.ascending"),
        sortDescLabel: t("table.descending"),
        cell: ({ row }) => formatMoney(row.original.amount_due, row.original.currency_code, locale),
      }),
      columnHelper.accessor("pay_by", {
        header: t("columns.payBy"),
        enableSorting: true,
        sortLabel: t("columns.payBy"),
        sortAscLabel: t("table.ascending"),
        sortDescLabel: t("table.descending"),
        cell: ({ row }) =>
          row.original.pay_by ? (
            row.original.overdue ? (
              <StatusBadge color="red" data-testid="awaiting-overdue">
                {t("awaiting.overdueSince", { date: formatDateTime(row.original.pay_by, locale) })}
              </StatusBadge>
            ) : (
              formatDateTime(row.original.pay_by, locale)
            )
          ) : (
            <Text size="small" className="text-ui-fg-muted">
              {t("widget.noDeadline")}
            </Text>
          ),
      }),
      columnHelper.accessor("reference", {
        header: t("common.reference"),
        cell: ({ row }) => (row.original.reference ? <span className="font-mono">{formatReference(row.original.reference)}</span> : ""),
      }),
      columnHelper.display({
        id: "actions",
        cell: ({ row }) => (
          <Button
            size="small"
            variant="secondary"
            data-testid="awaiting-record"
            onClick={(event) => {
              event.stopPropagation()
              setRecording(row.original.order_id)
            }}
          >
            {t("recordPayment.open")}
          </Button>
        ),
      }),
    ],
    [t, locale]
  )

  const filters = useMemo(
    () => [
      filterHelper.accessor("method", {
        type: "radio",
        label: t("columns.method"),
        options: (methods?.receipt_methods ?? []).map((m) => ({ label: methodLabel(t, m.id, m.label), value: m.id })),
      }),
      filterHelper.accessor("overdue", {
        type: "radio",
        label: t("awaiting.overdueFilter"),
        options: [
          { label: t("awaiting.onlyOverdue"), value: "true" },
          { label: t("awaiting.notOverdue"), value: "false" },
        ],
      }),
    ],
    [t, methods]
  )

  const table = useDataTable({
    data: data?.orders ?? [],
    columns,
    filters,
    getRowId: (row) => row.order_id,
    rowCount: data?.count ?? 0,
    isLoading,
    ...state.tableProps,
  })

  return (
    <DeskPage title={t("nav.awaiting")} description={t("awaiting.description")} testId="awaiting-payment-page">
      <DataTable instance={table}>
        <DataTable.Toolbar className="flex flex-col items-start justify-between gap-2 md:flex-row md:items-center" translations={{ clearAll: t("table.clearAll"), sort: t("table.sort") }}>
          <DataTable.FilterMenu tooltip={t("table.filter")} />
          <div className="flex gap-2">
            <DataTable.Search placeholder={t("awaiting.search")} />
            <DataTable.SortingMenu tooltip={t("table.sort")} />
          </div>
        </DataTable.Toolbar>
        {error && (
          <Text size="small" className="text-ui-fg-error px-6 py-4">
            {error.message}
          </Text>
        )}
        <DataTable.Table
          emptyState={{
            empty: { heading: t("awaiting.emptyHeading"), description: t("awaiting.emptyText") },
            filtered: { heading: t("table.noMatchHeading"), description: t("table.noMatchText") },
          }}
        />
        <DataTable.Pagination translations={translations} />
      </DataTable>
      {recording && <RecordFromRow key={recording} orderId={recording} onClose={() => setRecording(null)} />}
    </DeskPage>
  )
}

export const config = defineRouteConfig({ label: "paymentDesk.nav.awaiting", translationNs: "translation", rank: 1 })

export const handle = {
  breadcrumb: () => <Crumb k="nav.awaiting" />,
}

export default AwaitingPaymentPage
