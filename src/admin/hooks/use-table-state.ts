import type { DataTableFilteringState, DataTablePaginationState, DataTableSortingState } from "@medusajs/ui"
import { useState } from "react"

/** The search, filters, sorting and page of a server-side DataTable; a new search or filter goes back to page one. */
export function useTableState({ pageSize = 20, sorting: initialSorting = null }: { pageSize?: number; sorting?: DataTableSortingState | null } = {}) {
  const [search, setSearch] = useState("")
  const [filtering, setFiltering] = useState<DataTableFilteringState>({})
  const [sorting, setSorting] = useState<DataTableSortingState | null>(initialSorting)
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize })
  const firstPage = () => setPagination((current) => ({ ...current, pageIndex: 0 }))
  return {
    search,
    filtering,
    sorting,
    pagination,
    page: { limit: pagination.pageSize, offset: pagination.pageIndex * pagination.pageSize },
    /** The props `useDataTable` takes for these states. */
    tableProps: {
      search: { state: search, onSearchChange: (value: string) => (setSearch(value), firstPage()) },
      filtering: { state: filtering, onFilteringChange: (value: DataTableFilteringState) => (setFiltering(value), firstPage()) },
      sorting: { state: sorting, onSortingChange: (value: DataTableSortingState) => setSorting(value) },
      pagination: { state: pagination, onPaginationChange: setPagination },
    },
  }
}

/** One filter's value as a string (radio filters hold a string, select filters an array). */
export function filterValue(filtering: DataTableFilteringState, id: string): string | undefined {
  const value = filtering[id]
  if (Array.isArray(value)) {
    return value.length ? String(value[0]) : undefined
  }
  return typeof value === "string" && value ? value : undefined
}

/** A date filter's range (`{ $gte, $lte }`) as from/to ISO strings. */
export function dateRange(filtering: DataTableFilteringState, id: string): { from?: string; to?: string } {
  const value = filtering[id] as { $gte?: string; $lte?: string; $gt?: string; $lt?: string } | undefined
  if (!value || typeof value !== "object") {
    return {}
  }
  const from = value.$gte ?? value.$gt
  const to = value.$lte ?? value.$lt
  return {
    from: from ? new Date(from).toISOString() : undefined,
    to: to ? new Date(to).toISOString() : undefined,
  }
}
