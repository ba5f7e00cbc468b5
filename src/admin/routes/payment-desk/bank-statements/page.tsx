import { defineRouteConfig } from "@medusajs/admin-sdk"
import {
  Alert,
  Badge,
  Button,
  Container,
  createDataTableColumnHelper,
  DataTable,
  DataTablePaginationState,
  Heading,
  Tabs,
  Text,
  toast,
  useDataTable,
} from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { useSearchParams } from "react-router-dom"
import { BankLineActions } from "../../../components/bank-line-actions"
import { BankStatementUpload, bookingProgressText, ImportSummary } from "../../../components/bank-statement-upload"
import { Crumb, DeskPage, OrderLink, ToastRoom, usePaginationTranslations } from "../../../components/desk-page"
import { useBankStatementProgress, useBankStatements, useBankTransactions } from "../../../hooks/use-bank-statements"
import { SepaPayouts } from "../../../components/sepa-payouts"
import { useDeskTranslation } from "../../../hooks/use-desk-translation"
import { useKeysetPages, useRememberNext } from "../../../hooks/use-keyset-pages"
import { formatDateTime, formatInGroupsOfFour, formatMoney, formatReference } from "../../../lib/format"
import { bankReviewReason } from "../../../lib/labels"
import type { BankStatement, BankTransaction } from "../../../lib/types"

const statementColumns = createDataTableColumnHelper<BankStatement>()
const lineColumns = createDataTableColumnHelper<BankTransaction>()

type LineTab = "review" | "recorded" | "ignored"

/** The tab that lists a line of this status (a matched line waits with the review queue). */
const tabOf = (status: BankTransaction["status"]): LineTab => (status === "recorded" || status === "ignored" ? status : "review")

const PAGE_SIZE = 20
/** How far into a tab a linked line is looked for (the list's largest page). */
const FIND_WITHIN = 200

/**
 * Brings a linked line into view: turns to the page of the tab holding it,
 * then scrolls to its row and highlights it. The row is found through the
 * marker its date cell carries, as the table gives rows no id of their own.
 */
function useLinkedRow(
  tab: LineTab,
  linkedId: string | undefined,
  rows: BankTransaction[] | undefined,
  setPageIndex: (index: number) => void
) {
  const { data: all } = useBankTransactions({ status: tab, limit: FIND_WITHIN, offset: 0 }, { enabled: !!linkedId })
  const position = linkedId ? all?.bank_transactions.findIndex((line) => line.id === linkedId) ?? -1 : -1
  useEffect(() => {
    if (position >= 0) {
      setPageIndex(Math.floor(position / PAGE_SIZE))
    }
  }, [position])
  const shown = !!linkedId && !!rows?.some((line) => line.id === linkedId)
  useEffect(() => {
    if (!shown) {
      return
    }
    const row = document.querySelector(`[data-bank-line="${linkedId}"]`)?.closest("tr")
    if (row instanceof HTMLElement) {
      row.style.backgroundColor = "var(--bg-highlight)"
      row.setAttribute("data-testid", "bank-line-linked")
      row.scrollIntoView({ block: "center" })
    }
  }, [shown, linkedId])
}

/** A calendar day in the admin's locale. */
function formatDate(value: string, locale?: string) {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(value))
}

/** Payer (or payee) name with the IBAN in groups of four below. */
function PartyCell({ line }: { line: BankTransaction }) {
  return (
    <div className="flex flex-col">
      <span className="txt-compact-small">{line.counterparty_name ?? "—"}</span>
      {line.counterparty_iban && <span className="txt-compact-xsmall text-ui-fg-subtle font-mono">{formatInGroupsOfFour(line.counterparty_iban)}</span>}
    </div>
  )
}

/** Remittance text with the structured reference below. */
function RemittanceCell({ line }: { line: BankTransaction }) {
  return (
    <div className="flex max-w-[200px] flex-col">
      {line.remittance && <span className="txt-compact-small truncate" title={line.remittance}>{line.remittance}</span>}
      {line.structured_reference && <span className="txt-compact-xsmall text-ui-fg-subtle font-mono">{formatReference(line.structured_reference)}</span>}
      {!line.remittance && !line.structured_reference && <span className="text-ui-fg-muted">—</span>}
    </div>
  )
}

/** Orders as "#12 · email", each linked to its order page. */
function OrdersCell({ orders }: { orders: BankTransaction["suggestions"] }) {
  if (!orders.length) {
    return <span className="text-ui-fg-muted">—</span>
  }
  return (
    <div className="flex flex-col gap-y-0.5">
      {orders.map((order) => (
        <span key={order.id} className="txt-compact-small whitespace-nowrap">
          <OrderLink orderId={order.id} displayId={order.display_id} />
          {order.email && <span className="text-ui-fg-subtle"> · {order.email}</span>}
        </span>
      ))}
    </div>
  )
}

/** The statement lines of one tab: the review queue with its actions, or the decided lines with who, when and why. */
function LineTable({ tab, onError, linkedId }: { tab: LineTab; onError: (message: string) => void; linkedId?: string }) {
  const { t, locale } = useDeskTranslation()
  const translations = usePaginationTranslations()
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  // Next pages by keyset (a deep page costs what the first does); a page reached otherwise uses its offset.
  const keyset = useKeysetPages(`${tab}|${pagination.pageSize}`, pagination.pageIndex)
  const { data, isLoading, error, isPlaceholderData } = useBankTransactions({
    status: tab,
    limit: pagination.pageSize,
    offset: pagination.pageIndex * pagination.pageSize,
    after: keyset.after,
  })
  useRememberNext(keyset.remember, isPlaceholderData ? null : data?.cursors?.last)
  useLinkedRow(tab, linkedId, data?.bank_transactions, (pageIndex) => setPagination((current) => ({ ...current, pageIndex })))

  const columns = useMemo(() => {
    const common = [
      lineColumns.accessor("booking_date", {
        header: t("bankStatements.columns.date"),
        cell: ({ row }) => <span data-bank-line={row.original.id}>{formatDate(row.original.booking_date, locale)}</span>,
      }),
      lineColumns.accessor("amount", {
        header: t("bankStatements.columns.amount"),
        cell: ({ row }) => (
          <span className="whitespace-nowrap">
            {formatMoney(row.original.direction === "debit" ? -row.original.amount : row.original.amount, row.original.currency_code, locale)}
          </span>
        ),
      }),
      lineColumns.accessor("counterparty_name", {
        header: t("bankStatements.columns.party"),
        cell: ({ row }) => <PartyCell line={row.original} />,
      }),
      lineColumns.accessor("remittance", {
        header: t("bankStatements.columns.remittance"),
        cell: ({ row }) => <RemittanceCell line={row.original} />,
      }),
    ]
    if (tab === "review") {
      return [
        ...common,
        lineColumns.accessor("review_reason", {
          header: t("bankStatements.columns.why"),
          cell: ({ row }) => (
            <Text size="small" className="max-w-[240px] whitespace-normal" data-testid="bank-line-reason">
              {bankReviewReason(t, row.original)}
            </Text>
          ),
        }),
        lineColumns.accessor("suggestions", {
          header: t("bankStatements.columns.suggested"),
          cell: ({ row }) => <OrdersCell orders={row.original.suggestions.length ? row.original.suggestions : row.original.order ? [row.original.order] : []} />,
        }),
        lineColumns.display({
          id: "actions",
          cell: ({ row }) => <BankLineActions line={row.original} onError={onError} />,
        }),
      ]
    }
    return [
      ...common,
      lineColumns.accessor("order", {
        header: t("bankStatements.columns.order"),
        cell: ({ row }) => <OrdersCell orders={row.original.order ? [row.original.order] : []} />,
      }),
      lineColumns.accessor("decided_at", {
        header: t("bankStatements.columns.decided"),
        cell: ({ row }) => (
          <div className="flex flex-col">
            <span className="txt-compact-small">{row.original.decided_by?.name ?? row.original.decided_by?.email ?? t("bankStatements.automatically")}</span>
            {row.original.decided_at && <span className="txt-compact-xsmall text-ui-fg-subtle">{formatDateTime(row.original.decided_at, locale)}</span>}
          </div>
        ),
      }),
      lineColumns.accessor("decision_note", {
        header: t("common.note"),
        cell: ({ row }) => (
          <Text size="small" className="max-w-[240px] whitespace-normal">
            {row.original.decision_note ?? (row.original.excess_amount ? bankReviewReason(t, row.original) : "")}
          </Text>
        ),
      }),
    ]
  }, [t, locale, tab, onError])

  const table = useDataTable({
    data: data?.bank_transactions ?? [],
    columns,
    getRowId: (row) => row.id,
    rowCount: data?.count ?? 0,
    isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
  })

  return (
    <div data-testid={`bank-lines-${tab}`}>
      <DataTable instance={table}>
        {error && (
          <Text size="small" className="text-ui-fg-error px-6 py-4">
            {error.message}
          </Text>
        )}
        <DataTable.Table
          emptyState={{
            empty: { heading: t(`bankStatements.empty.${tab}`), description: t(`bankStatements.empty.${tab}Text`) },
            filtered: { heading: t("table.noMatchHeading"), description: t("table.noMatchText") },
          }}
        />
        <DataTable.Pagination translations={translations} />
      </DataTable>
    </div>
  )
}

/** The imports, newest first, with what each did. */
function ImportTable() {
  const { t, locale } = useDeskTranslation()
  const translations = usePaginationTranslations()
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: 10 })
  const { data, isLoading, error } = useBankStatements({ limit: pagination.pageSize, offset: pagination.pageIndex * pagination.pageSize })
  const columns = useMemo(
    () => [
      statementColumns.accessor("file_name", { header: t("bankStatements.columns.file") }),
      statementColumns.accessor("format", {
        header: t("bankStatements.format"),
        cell: ({ row }) => t(`bankStatements.formats.${row.original.format.replace(".", "")}`),
      }),
      statementColumns.accessor("created_at", {
        header: t("bankStatements.columns.when"),
        cell: ({ row }) => formatDateTime(row.original.created_at, locale),
      }),
      statementColumns.accessor("imported_by", {
        header: t("bankStatements.columns.by"),
        cell: ({ row }) => row.original.imported_by.name ?? row.original.imported_by.email ?? "—",
      }),
      statementColumns.accessor("lines", { header: t("bankStatements.counts.lines") }),
      statementColumns.accessor("recorded", {
        header: t("bankStatements.counts.recorded"),
        // While the workers book its lines, how far they are instead of a count that still grows.
        cell: ({ row }) => (row.original.booking > 0 ? bookingProgressText(t, row.original, locale) : row.original.recorded),
      }),
      statementColumns.accessor("review", { header: t("bankStatements.countsShort.review") }),
      statementColumns.accessor("ignored", { header: t("bankStatements.counts.ignored") }),
      statementColumns.accessor("duplicates", { header: t("bankStatements.countsShort.duplicates") }),
      statementColumns.accessor("skipped", {
        header: t("bankStatements.countsShort.skipped"),
        // Every entry stored as no line (duplicates included), so lines stored + this = the file's entries.
        cell: ({ row }) => `${row.original.skipped?.length ?? 0} / ${row.original.entries ?? 0}`,
      }),
      statementColumns.accessor("payouts_recorded", { header: t("bankStatements.countsShort.payouts") }),
    ],
    [t, locale]
  )
  const table = useDataTable({
    data: data?.bank_statements ?? [],
    columns,
    getRowId: (row) => row.id,
    rowCount: data?.count ?? 0,
    isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
  })
  return (
    <div data-testid="bank-imports">
      <div className="px-6 py-4">
        <Heading level="h2">{t("bankStatements.importsTitle")}</Heading>
      </div>
      <DataTable instance={table}>
        {error && (
          <Text size="small" className="text-ui-fg-error px-6 py-4">
            {error.message}
          </Text>
        )}
        <DataTable.Table emptyState={{ empty: { heading: t("bankStatements.empty.imports"), description: t("bankStatements.empty.importsText") } }} />
        <DataTable.Pagination translations={translations} />
      </DataTable>
    </div>
  )
}

/** Bank statements: upload a statement, review the lines the plugin could not record alone, see past imports, download the SEPA payout file. */
const BankStatementsPage = () => {
  const { t } = useDeskTranslation()
  const [uploaded, setImported] = useState<BankStatement | null>(null)
  // The upload's answer, read again while the workers book its lines.
  const imported = useBankStatementProgress(uploaded)
  const [tab, setTab] = useState<LineTab>("review")
  const [lineError, setLineError] = useState<string | null>(null)
  const review = useBankTransactions({ status: "review", limit: 1, offset: 0 })
  // `?line=<id>`: a link from the order widget to one line (a reversed credit to review).
  const [params] = useSearchParams()
  const linkedId = params.get("line") ?? undefined
  const linked = useBankTransactions({ id: linkedId, limit: 1, offset: 0 }, { enabled: !!linkedId })
  const linkedLine = linked.data?.bank_transactions[0]
  useEffect(() => {
    if (linkedLine) {
      setTab(tabOf(linkedLine.status))
    }
  }, [linkedLine?.id, linkedLine?.status])

  return (
    <div className="flex flex-col gap-y-3">
      <DeskPage
        endsPage={false}
        title={t("nav.bankStatements")}
        description={t("bankStatements.description")}
        testId="bank-statements-page"
      >
        <BankStatementUpload
          onImported={(statement) => {
            setImported(statement)
            setTab(statement.review > 0 ? "review" : tab)
          }}
        />
        <SepaPayouts />
        {imported && <ImportSummary statement={imported} />}
      </DeskPage>
      <Container className="p-0" data-testid="bank-review-queue">
        <Tabs value={tab} onValueChange={(value) => (setTab(value as LineTab), setLineError(null))}>
          <div className="flex flex-wrap items-center justify-between gap-3 px-6 py-4">
            <div>
              <Heading level="h2">{t("bankStatements.linesTitle")}</Heading>
              <Text size="small" className="text-ui-fg-subtle">
                {t("bankStatements.linesDescription")}
              </Text>
            </div>
            <Tabs.List>
              <Tabs.Trigger value="review" data-testid="bank-tab-review">
                {t("bankStatements.tabs.review")}
                {!!review.data?.count && (
                  <Badge size="2xsmall" color="orange" className="ml-2">
                    {review.data.count}
                  </Badge>
                )}
              </Tabs.Trigger>
              <Tabs.Trigger value="recorded" data-testid="bank-tab-recorded">
                {t("bankStatements.tabs.recorded")}
              </Tabs.Trigger>
              <Tabs.Trigger value="ignored" data-testid="bank-tab-ignored">
                {t("bankStatements.tabs.ignored")}
              </Tabs.Trigger>
            </Tabs.List>
          </div>
          {!!linkedId && linked.data && !linkedLine && (
            <div className="px-6 pb-4">
              <Alert variant="warning" data-testid="bank-line-linked-missing">
                {t("bankStatements.linkedLineMissing")}
              </Alert>
            </div>
          )}
          {lineError && (
            <div className="px-6 pb-4">
              <Alert variant="error" dismissible data-testid="bank-line-error">
                {lineError}
              </Alert>
            </div>
          )}
          <div className="border-ui-border-base border-t">
            <Tabs.Content value="review">
              <LineTable tab="review" onError={setLineError} linkedId={linkedLine && tabOf(linkedLine.status) === "review" ? linkedLine.id : undefined} />
            </Tabs.Content>
            <Tabs.Content value="recorded">
              <LineTable tab="recorded" onError={setLineError} linkedId={linkedLine && tabOf(linkedLine.status) === "recorded" ? linkedLine.id : undefined} />
            </Tabs.Content>
            <Tabs.Content value="ignored">
              <LineTable tab="ignored" onError={setLineError} linkedId={linkedLine && tabOf(linkedLine.status) === "ignored" ? linkedLine.id : undefined} />
            </Tabs.Content>
          </div>
        </Tabs>
      </Container>
      <Container className="p-0">
        <ImportTable />
      </Container>
      <ToastRoom />
    </div>
  )
}

export const config = defineRouteConfig({ label: "paymentDesk.nav.bankStatements", translationNs: "translation", rank: 1.5 })

export const handle = {
  breadcrumb: () => <Crumb k="nav.bankStatements" />,
}

export default BankStatementsPage
