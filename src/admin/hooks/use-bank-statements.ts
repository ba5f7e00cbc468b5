import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useEffect, useRef } from "react"
import { sdk } from "../lib/sdk"
import type { BankLineOrder, BankStatement, BankTransaction, PayoutExports } from "../lib/types"

const bankKey = ["payment-desk", "bank"]

/** After an import or a decision: the lists here, the desk's lists and the orders' own sections. */
function useRefreshAfterBank() {
  const queryClient = useQueryClient()
  return async () => {
    await queryClient.invalidateQueries({ queryKey: bankKey })
    await queryClient.invalidateQueries({ queryKey: ["payment-desk"] })
    await queryClient.invalidateQueries({ queryKey: ["orders"] })
    await queryClient.invalidateQueries({ queryKey: ["payment_collections"] })
  }
}

/** How often a statement whose lines the workers are booking is read again. */
const BOOKING_POLL_MS = 2_000

/** The imports, newest first; read again every 2 s while one of the page is being booked. */
export function useBankStatements(query: { limit: number; offset: number }) {
  return useQuery({
    queryKey: [...bankKey, "statements", query],
    queryFn: () => sdk.client.fetch<{ bank_statements: BankStatement[]; count: number }>("/admin/payment-desk/bank-statements", { query }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.bank_statements.some((statement) => statement.booking > 0) ? BOOKING_POLL_MS : false),
  })
}

/**
 * One import as it stands now, starting from `initial` (the upload's
 * answer): read again every 2 s while the workers book its lines; once they
 * are done, the lists (review queue, imports) and the orders refresh.
 */
export function useBankStatementProgress(initial: BankStatement | null) {
  const refresh = useRefreshAfterBank()
  const query = useQuery({
    // Outside the "payment-desk" keys, so that the refresh below does not read it again.
    queryKey: ["payment-desk-bank-progress", initial?.id],
    queryFn: async () =>
      (await sdk.client.fetch<{ bank_statement: BankStatement }>(`/admin/payment-desk/bank-statements/${initial?.id}`)).bank_statement,
    enabled: !!initial && initial.booking > 0,
    initialData: initial ?? undefined,
    // The upload's answer is the first reading; the next one comes after the interval.
    initialDataUpdatedAt: () => Date.now(),
    staleTime: BOOKING_POLL_MS,
    refetchInterval: (q) => ((q.state.data?.booking ?? 0) > 0 ? BOOKING_POLL_MS : false),
  })
  const current = initial ? query.data ?? initial : null
  const booking = current?.booking ?? 0
  const wasBooking = useRef(false)
  useEffect(() => {
    if (booking > 0) {
      wasBooking.current = true
    } else if (wasBooking.current) {
      wasBooking.current = false
      void refresh()
    }
  }, [booking])
  return current
}

/** The query of a list of statement lines. */
export type BankTransactionQuery = {
  /** One line by id. */
  id?: string
  status?: BankTransaction["status"] | BankTransaction["status"][]
  order_id?: string
  direction?: "credit" | "debit"
  limit: number
  offset: number
  /** The page after this cursor of the page before it (read without an offset however deep). */
  after?: string
}

/** Statement lines by status (`review`: the review queue), order or direction. */
export function useBankTransactions({ after, offset, ...rest }: BankTransactionQuery, options: { enabled?: boolean } = {}) {
  const query = after ? { ...rest, after } : { ...rest, offset }
  return useQuery({
    queryKey: [...bankKey, "transactions", query],
    queryFn: () =>
      sdk.client.fetch<{ bank_transactions: BankTransaction[]; count: number; cursors?: { first: string | null; last: string | null } }>(
        "/admin/payment-desk/bank-transactions",
        { query }
      ),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  })
}

/** The names of the configured CSV profiles. */
export function useCsvProfiles() {
  return useQuery({
    queryKey: [...bankKey, "profiles"],
    queryFn: () => sdk.client.fetch<{ csv_profiles: string[] }>("/admin/payment-desk/bank-statements/profiles"),
    staleTime: 60_000,
  })
}

/** Uploads a statement file (multipart), with the format and CSV profile when chosen. */
export function useImportBankStatement() {
  const refresh = useRefreshAfterBank()
  return useMutation({
    mutationFn: ({ file, format, profile }: { file: File; format?: string; profile?: string }) => {
      const form = new FormData()
      form.append("file", file, file.name)
      if (format) form.append("format", format)
      if (profile) form.append("profile", profile)
      // The browser sets the multipart content type with its boundary.
      return sdk.client.fetch<{ bank_statement: BankStatement }>("/admin/payment-desk/bank-statements", {
        method: "POST",
        body: form,
        headers: { "content-type": null },
      })
    },
    onSuccess: refresh,
  })
}

/** Records a line waiting for review on its suggested order, or on `order_id`. */
export function useConfirmBankTransaction() {
  const refresh = useRefreshAfterBank()
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; order_id?: string; note?: string }) =>
      sdk.client.fetch<{ bank_transaction: BankTransaction }>(`/admin/payment-desk/bank-transactions/${id}/confirm`, {
        method: "POST",
        body,
      }),
    onSuccess: refresh,
  })
}

/** Books a reversed credit as a refund the bank already paid back (the refund permission). */
export function useBookBankReversal() {
  const refresh = useRefreshAfterBank()
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note?: string }) =>
      sdk.client.fetch<{ bank_transaction: BankTransaction }>(`/admin/payment-desk/bank-transactions/${id}/book-reversal`, {
        method: "POST",
        body: note ? { note } : {},
      }),
    onSuccess: refresh,
  })
}

/** Sets a line aside with a note. */
export function useIgnoreBankTransaction() {
  const refresh = useRefreshAfterBank()
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) =>
      sdk.client.fetch<{ bank_transaction: BankTransaction }>(`/admin/payment-desk/bank-transactions/${id}/ignore`, {
        method: "POST",
        body: { note },
      }),
    onSuccess: refresh,
  })
}

/**
 * Orders found by number or email through core's order search (`q`). Core
 * matches the text anywhere in the order (addresses, phone numbers too), so
 * a number keeps only the order with exactly that display id.
 */
export function useOrderSearch(q: string) {
  const number = /^\d+$/.test(q) ? Number(q) : null
  return useQuery({
    queryKey: ["payment-desk", "order-search", q],
    queryFn: async () => {
      const { orders } = await sdk.client.fetch<{ orders: BankLineOrder[] }>("/admin/orders", {
        query: { q, fields: "id,display_id,email", limit: number === null ? 8 : 100, order: "-created_at" },
      })
      return { orders: number === null ? orders : orders.filter((order) => order.display_id === number) }
    },
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  })
}

/** What the next SEPA file would pay and the earlier files (`GET /admin/payment-desk/payouts/sepa/exports`). */
export function usePayoutExports() {
  return useQuery({
    queryKey: ["payment-desk", "payout-exports"],
    queryFn: () => sdk.client.fetch<PayoutExports>("/admin/payment-desk/payouts/sepa/exports", { query: { limit: 20, offset: 0 } }),
  })
}

/**
 * Downloads a SEPA payout file: the refunds no earlier file holds (the
 * server marks them exported), or with `exportId` an earlier file again
 * under a new message id; throws the server's message when there is none.
 */
export async function downloadSepaPayouts(exportId: string | null = null): Promise<{ name: string; count: number; skipped: number }> {
  const response = await sdk.client.fetch<Response>("/admin/payment-desk/payouts/sepa", {
    query: exportId ? { export_id: exportId } : { status: "awaiting_payout" },
    headers: { accept: "application/xml" },
  })
  const disposition = response.headers.get("content-disposition") ?? ""
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? "payment-desk-payouts.xml"
  const blob = await response.blob()
  const url = URL.createObjectURL(blob)
  const link = document.createElement("a")
  link.href = url
  link.download = name
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1_000)
  const skipped = response.headers.get("x-payment-desk-skipped")
  return {
    name,
    count: Number(response.headers.get("x-payment-desk-payment-count") ?? 0),
    skipped: skipped ? skipped.split(",").filter(Boolean).length : 0,
  }
}
