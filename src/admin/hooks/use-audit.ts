import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { backendUrl, sdk } from "../lib/sdk"
import type { AuditEntry, Page } from "../lib/types"

/** The filters of the Audit page, as the audit routes take them. */
export type AuditFilters = {
  q?: string
  created_at_from?: string
  created_at_to?: string
  action?: string
  actor_id?: string
  actor_type?: string
  order_id?: string
  method?: string
  source?: string
}

const defined = (query: object) =>
  Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined && value !== "")
  ) as Record<string, string | number>

/** The keyset cursors of an audit page's first and last entry. */
export type AuditCursors = { first: string | null; last: string | null }

/**
 * Audit entries across orders, newest first: a page by `offset`, or the one
 * `after` a cursor of the page before it (read without an offset however
 * deep it is).
 */
export function useAuditList(filters: AuditFilters, page: { limit: number; offset: number; after?: string }) {
  const query = page.after ? { ...defined(filters), limit: page.limit, after: page.after } : { ...defined(filters), limit: page.limit, offset: page.offset }
  return useQuery({
    queryKey: ["payment-desk", "audit", query],
    queryFn: () =>
      sdk.client.fetch<{ audit_entries: AuditEntry[]; cursors?: AuditCursors } & Page>("/admin/payment-desk/audit", { query }),
    placeholderData: keepPreviousData,
  })
}

/** How the export is written: `readable` in words for people (in `language`), `raw` as stored. */
export type AuditExportFormat = { format: "readable" | "raw"; language?: "en" | "de" | "zh-CN" }

/** The CSV export's URL for these filters. */
export function auditExportUrl(filters: AuditFilters, format: AuditExportFormat = { format: "raw" }): string {
  const params = new URLSearchParams(
    Object.entries({ ...defined(filters), ...defined(format) }).map(([name, value]) => [name, String(value)])
  )
  const base = backendUrl.endsWith("/") ? backendUrl.slice(0, -1) : backendUrl
  const search = params.toString()
  return `${base}/admin/payment-desk/audit/export${search ? `?${search}` : ""}`
}

/** Downloads the CSV export on the admin's session; rejects with the server's message. */
export async function downloadAuditCsv(filters: AuditFilters, fileName: string, format?: AuditExportFormat): Promise<void> {
  const response = await fetch(auditExportUrl(filters, format), { credentials: "include" })
  if (!response.ok) {
    const text = await response.text()
    let message = text
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text
    } catch {
      // Not JSON: the text is the message.
    }
    throw new Error(message || `HTTP ${response.status}`)
  }
  const blob = await response.blob()
  const url = URL.createObjectURL(blob)
  const link = document.createElement("a")
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
