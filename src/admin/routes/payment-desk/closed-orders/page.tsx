import { defineRouteConfig } from "@medusajs/admin-sdk"
import {
  Container,
  createDataTableColumnHelper,
  createDataTableFilterHelper,
  DataTable,
  Heading,
  Text,
  useDataTable,
} from "@medusajs/ui"
import { useMemo } from "react"
import { Crumb, CustomerCell, DeskPage, OrderLink, ToastRoom, usePaginationTranslations } from "../../../components/desk-page"
import { DayBars } from "../../../components/day-bars"
import { useClosures, useCountersOverview } from "../../../hooks/use-closures"
import { useDeskTranslation } from "../../../hooks/use-desk-translation"
import { useKeysetPages, useRememberNext } from "../../../hooks/use-keyset-pages"
import { useReceiptMethods } from "../../../hooks/use-record-payment"
import { dateRange, filterValue, useTableState } from "../../../hooks/use-table-state"
import { formatDateTime, formatMoney } from "../../../lib/format"
import { ACTOR_TYPES, actorLabel, actorTypeLabel, CLOSE_REASONS, methodLabel, notesLabel, reasonLabel } from "../../../lib/labels"
import type { ClosureRow, CounterDay } from "../../../lib/types"

const DAYS = 30
const columnHelper = createDataTableColumnHelper<ClosureRow>()
const filterHelper = createDataTableFilterHelper<ClosureRow>()

function ChartCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Container className="flex flex-col gap-y-3 px-6 py-4">
      <Heading level="h2">{title}</Heading>
      {children}
    </Container>
  )
}

/** The keys a series uses over the period, in a stable order. */
function keysOf(series: CounterDay[], pick: (day: CounterDay) => Record<string, number> | undefined, known: readonly string[]) {
  const seen = new Set<string>()
  series.forEach((day) => Object.keys(pick(day) ?? {}).forEach((key) => seen.add(key)))
  return [...known.filter((key) => seen.has(key)), ...[...seen].filter((key) => !known.includes(key)).sort()]
}

/** Closed orders over time (by reason, by who closed them, by method; timeouts and refund failures) and the list. */
const ClosedOrdersPage = () => {
  const { t, locale } = useDeskTranslation()
  const translations = usePaginationTranslations()
  const state = useTableState()
  const created = dateRange(state.filtering, "created_at")
  const listed = {
    q: state.search || undefined,
    reason: filterValue(state.filtering, "reason"),
    actor_type: filterValue(state.filtering, "actor"),
    method: filterValue(state.filtering, "payment_method"),
    created_at_from: created.from,
    created_at_to: created.to,
    limit: state.page.limit,
  }
  // Next pages by keyset (a deep page costs what the first does); a page not reached by Next uses its offset.
  const keyset = useKeysetPages(JSON.stringify(listed), state.pagination.pageIndex)
  const { data, isLoading, error, isPlaceholderData } = useClosures({ ...listed, offset: state.page.offset, after: keyset.after })
  useRememberNext(keyset.remember, isPlaceholderData ? null : data?.cursors?.last)
  const overview = useCountersOverview(DAYS)
  const { data: methods } = useReceiptMethods()
  const series = overview.data?.series ?? []
  const days = series.map((day) => day.day)
  const top = overview.data?.top_customers ?? []

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
      columnHelper.accessor("reason", {
        header: t("columns.reason"),
        cell: ({ row }) => (
          <div className="flex min-w-[180px] flex-col whitespace-normal">
            <span>{reasonLabel(t, row.original.reason, row.original.reason_label)}</span>
            {(row.original.note || row.original.system_note) && (
              <span className="txt-compact-xsmall text-ui-fg-subtle">{notesLabel(t, row.original, locale)}</span>
            )}
          </div>
        ),
      }),
      columnHelper.accessor("actor", {
        header: t("columns.closedBy"),
        cell: ({ row }) => actorLabel(t, row.original.actor),
      }),
      columnHelper.accessor("payment_method", {
        header: t("columns.method"),
        cell: ({ row }) => methodLabel(t, row.original.payment_method, row.original.method_name),
      }),
      columnHelper.accessor("refunded_amount", {
        header: t("columns.refunded"),
        cell: ({ row }) => formatMoney(row.original.refunded_amount, row.original.currency_code, locale),
      }),
      columnHelper.accessor("created_at", {
        header: t("columns.closedAt"),
        cell: ({ row }) => formatDateTime(row.original.created_at, locale),
      }),
    ],
    [t, locale]
  )

  const filters = useMemo(
    () => [
      filterHelper.accessor("reason", {
        type: "radio",
        label: t("columns.reason"),
        options: CLOSE_REASONS.map((value) => ({ label: reasonLabel(t, value), value })),
      }),
      filterHelper.accessor("actor", {
        type: "radio",
        label: t("columns.closedBy"),
        options: ACTOR_TYPES.map((value) => ({ label: actorTypeLabel(t, value), value })),
      }),
      filterHelper.accessor("payment_method", {
        type: "radio",
        label: t("columns.method"),
        options: (methods?.receipt_methods ?? []).map((m) => ({ label: methodLabel(t, m.id, m.label), value: m.id })),
      }),
      filterHelper.accessor("created_at", {
        type: "date",
        label: t("columns.closedAt"),
        format: "date",
        rangeOptionLabel: t("table.customRange"),
        rangeOptionStartLabel: t("table.from"),
        rangeOptionEndLabel: t("table.to"),
        options: [],
      }),
    ],
    [t, methods]
  )

  const table = useDataTable({
    data: data?.closures ?? [],
    columns,
    filters,
    getRowId: (row) => row.id,
    rowCount: data?.count ?? 0,
    isLoading,
    search: state.tableProps.search,
    filtering: state.tableProps.filtering,
    pagination: state.tableProps.pagination,
  })

  const reasonKeys = keysOf(series, (day) => day.by_reason, CLOSE_REASONS)
  const actorKeys = keysOf(series, (day) => day.by_actor, ACTOR_TYPES)
  const methodKeys = keysOf(series, (day) => day.by_method, [])
  const empty = t("closed.chartEmpty", { days: DAYS })

  return (
    <div className="flex flex-col gap-y-3">
      <DeskPage endsPage={false} title={t("nav.closed")} description={t("closed.description")} testId="closed-orders-page">
        <DataTable instance={table}>
          <DataTable.Toolbar translations={{ clearAll: t("table.clearAll") }}>
            <DataTable.FilterMenu tooltip={t("table.filter")} />
            <DataTable.Search placeholder={t("closed.search")} />
          </DataTable.Toolbar>
          {error && (
            <Text size="small" className="text-ui-fg-error px-6 py-4">
              {error.message}
            </Text>
          )}
          <DataTable.Table
            emptyState={{
              empty: { heading: t("closed.emptyHeading"), description: t("closed.emptyText") },
              filtered: { heading: t("table.noMatchHeading"), description: t("table.noMatchText") },
            }}
          />
          <DataTable.Pagination translations={translations} />
        </DataTable>
      </DeskPage>
      {overview.error ? (
        <Container className="px-6 py-4">
          <Text size="small" className="text-ui-fg-subtle">
            {t("closed.chartsUnavailable")}
          </Text>
        </Container>
      ) : (
        <div className="grid grid-cols-1 gap-3 xl:grid-cols-2" data-testid="closed-charts">
          <ChartCard title={t("closed.byReason", { days: DAYS })}>
            <DayBars
              testId="chart-reason"
              days={days}
              locale={locale}
              emptyText={empty}
              series={reasonKeys.map((key) => ({ key, label: reasonLabel(t, key) }))}
              valueOf={(index, key) => series[index].by_reason?.[key] ?? 0}
            />
          </ChartCard>
          <ChartCard title={t("closed.byActor", { days: DAYS })}>
            <DayBars
              testId="chart-actor"
              days={days}
              locale={locale}
              emptyText={empty}
              series={actorKeys.map((key) => ({ key, label: actorTypeLabel(t, key) }))}
              valueOf={(index, key) => series[index].by_actor?.[key] ?? 0}
            />
          </ChartCard>
          <ChartCard title={t("closed.byMethod", { days: DAYS })}>
            <DayBars
              testId="chart-method"
              days={days}
              locale={locale}
              emptyText={empty}
              series={methodKeys.map((key) => ({ key, label: methodLabel(t, key) }))}
              valueOf={(index, key) => series[index].by_method?.[key] ?? 0}
            />
          </ChartCard>
          <ChartCard title={t("closed.problems", { days: DAYS })}>
            <DayBars
              testId="chart-problems"
              days={days}
              locale={locale}
              emptyText={empty}
              series={[
                { key: "payment_timeouts", label: t("closed.paymentTimeouts") },
                { key: "refund_failures", label: t("closed.refundFailures") },
              ]}
              valueOf={(index, key) =>
                key === "payment_timeouts" ? series[index].payment_timeouts ?? 0 : series[index].refund_failures ?? 0
              }
            />
          </ChartCard>
          <Container className="divide-y p-0 xl:col-span-2" data-testid="top-customers">
            <div className="px-6 py-4">
              <Heading level="h2">{t("closed.topCustomers")}</Heading>
              <Text size="small" className="text-ui-fg-subtle">
                {t("closed.topCustomersText")}
              </Text>
            </div>
            {top.length ? (
              <ol className="divide-y">
                {top.map((customer, index) => (
                  <li key={customer.customer_id} className="flex items-center justify-between px-6 py-3">
                    <div className="flex items-center gap-x-3">
                      <Text size="small" className="text-ui-fg-muted w-5">
                        {index + 1}
                      </Text>
                      <CustomerCell customer={{ id: customer.customer_id, name: customer.name, email: customer.email }} />
                    </div>
                    <Text size="small" weight="plus">
                      {t("closed.closes", { count: customer.closes })}
                    </Text>
                  </li>
                ))}
              </ol>
            ) : (
              <Text size="small" className="text-ui-fg-subtle px-6 py-4">
                {t("closed.noTopCustomers")}
              </Text>
            )}
          </Container>
        </div>
      )}
      <ToastRoom />
    </div>
  )
}

export const config = defineRouteConfig({ label: "paymentDesk.nav.closedMenu", translationNs: "translation", rank: 3 })

export const handle = {
  breadcrumb: () => <Crumb k="nav.closed" />,
}

export default ClosedOrdersPage
