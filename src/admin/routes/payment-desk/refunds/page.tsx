import { defineRouteConfig } from "@medusajs/admin-sdk"
import { createDataTableColumnHelper, createDataTableFilterHelper, DataTable, Text, useDataTable } from "@medusajs/ui"
import { useMemo } from "react"
import { Crumb, CustomerCell, DeskPage, OrderLink, usePaginationTranslations } from "../../../components/desk-page"
import { NoPayeeBadge, PayoutAccountDrawer } from "../../../components/payout-account-drawer"
import { payeeLine } from "../../../lib/payee"
import { RecordPayoutDrawer } from "../../../components/record-payout-drawer"
import { RetryRefundButton } from "../../../components/refund-ledger"
import { RefundStatusBadge } from "../../../components/refund-status-badge"
import { useDeskTranslation } from "../../../hooks/use-desk-translation"
import { useKeysetPages, useRememberNext } from "../../../hooks/use-keyset-pages"
import { useRefundList } from "../../../hooks/use-refunds"
import { filterValue, useTableState } from "../../../hooks/use-table-state"
import { formatDateTime, formatMoney } from "../../../lib/format"
import { actorLabel, providerLabel, REFUND_STATUSES, refundStatusLabel, systemNoteLabel } from "../../../lib/labels"
import type { RefundRequest } from "../../../lib/types"

const OPEN = ["pending", "failed", "requires_action", "awaiting_payout"]
const columnHelper = createDataTableColumnHelper<RefundRequest>()
const filterHelper = createDataTableFilterHelper<RefundRequest>()

/** Refunds across orders: by default the ones that still need something. */
const RefundsPage = () => {
  const { t, locale } = useDeskTranslation()
  const translations = usePaginationTranslations()
  const state = useTableState()
  const status = filterValue(state.filtering, "status") ?? "open"
  const listed = { status: status === "open" ? OPEN : status === "all" ? undefined : [status], limit: state.page.limit }
  // Next pages by keyset (a deep page costs what the first does); a page not reached by Next uses its offset.
  const keyset = useKeysetPages(JSON.stringify(listed), state.pagination.pageIndex)
  const { data, isLoading, error, isPlaceholderData } = useRefundList({ ...listed, offset: state.page.offset, after: keyset.after })
  useRememberNext(keyset.remember, isPlaceholderData ? null : data?.cursors?.last)

  const columns = useMemo(
    () => [
      columnHelper.accessor("order_display_id", {
        header: t("columns.order"),
        cell: ({ row }) => <OrderLink orderId={row.original.order_id} displayId={row.original.order_display_id} />,
      }),
      columnHelper.accessor("customer", {
        header: t("columns.customer"),
        cell: ({ row }) => <CustomerCell customer={row.original.customer} />,
      }),
      columnHelper.accessor("amount", {
        header: t("columns.amount"),
        cell: ({ row }) => formatMoney(row.original.amount, row.original.currency_code, locale),
      }),
      columnHelper.accessor("provider_id", {
        header: t("columns.provider"),
        cell: ({ row }) => providerLabel(t, row.original.provider_id, row.original.provider_name),
      }),
      columnHelper.accessor("reason_label", {
        header: t("columns.reason"),
        cell: ({ row }) => (
          <div className="flex min-w-[160px] flex-col whitespace-normal">
            <span>{row.original.reason_label || systemNoteLabel(t, row.original.system_note, locale)}</span>
            {row.original.note && <span className="txt-compact-xsmall text-ui-fg-subtle">{row.original.note}</span>}
          </div>
        ),
      }),
      columnHelper.accessor("status", {
        header: t("columns.status"),
        cell: ({ row }) => (
          <div className="flex flex-col items-start gap-y-1">
            <RefundStatusBadge status={row.original.status} />
            <NoPayeeBadge refund={row.original} />
            {row.original.payee && row.original.status === "awaiting_payout" && (
              <span className="txt-compact-xsmall text-ui-fg-subtle whitespace-nowrap" data-testid="payment-desk-payee">
                {t("payee.to", { payee: payeeLine(row.original.payee) })}
              </span>
            )}
          </div>
        ),
      }),
      columnHelper.accessor("requested_at", {
        header: t("columns.requestedAt"),
        cell: ({ row }) => (
          <div className="flex flex-col">
            <span>{formatDateTime(row.original.requested_at, locale)}</span>
            {row.original.requested_by && (
              <span className="txt-compact-xsmall text-ui-fg-subtle">
                {t("ledger.by", { who: actorLabel(t, row.original.requested_by) })}
              </span>
            )}
          </div>
        ),
      }),
      columnHelper.display({
        id: "actions",
        cell: ({ row }) =>
          row.original.status === "failed" ? (
            <RetryRefundButton refund={row.original} />
          ) : row.original.status === "awaiting_payout" ? (
            <div className="flex gap-x-2">
              <RecordPayoutDrawer refund={row.original} />
              <PayoutAccountDrawer refund={row.original} />
            </div>
          ) : null,
      }),
    ],
    [t, locale]
  )

  const filters = useMemo(
    () => [
      filterHelper.accessor("status", {
        type: "radio",
        label: t("columns.status"),
        options: [
          { label: t("refunds.open"), value: "open" },
          { label: t("refunds.all"), value: "all" },
          ...REFUND_STATUSES.map((value) => ({ label: refundStatusLabel(t, value), value })),
        ],
      }),
    ],
    [t]
  )

  const table = useDataTable({
    data: data?.refund_requests ?? [],
    columns,
    filters,
    getRowId: (row) => row.id,
    rowCount: data?.count ?? 0,
    isLoading,
    filtering: state.tableProps.filtering,
    pagination: state.tableProps.pagination,
  })

  return (
    <DeskPage
      title={t("nav.refunds")}
      description={status === "open" ? t("refunds.descriptionOpen") : t("refunds.description")}
      testId="refunds-page"
    >
      <DataTable instance={table}>
        <DataTable.Toolbar translations={{ clearAll: t("table.clearAll") }}>
          <DataTable.FilterMenu tooltip={t("table.filter")} />
        </DataTable.Toolbar>
        {error && (
          <Text size="small" className="text-ui-fg-error px-6 py-4">
            {error.message}
          </Text>
        )}
        <DataTable.Table
          emptyState={{
            empty: { heading: t("refunds.emptyHeading"), description: t("refunds.emptyText") },
            filtered: { heading: t("refunds.emptyHeading"), description: t("table.noMatchText") },
          }}
        />
        <DataTable.Pagination translations={translations} />
      </DataTable>
    </DeskPage>
  )
}

export const config = defineRouteConfig({ label: "paymentDesk.nav.refunds", translationNs: "translation", rank: 2 })

export const handle = {
  breadcrumb: () => <Crumb k="nav.refunds" />,
}

export default RefundsPage
