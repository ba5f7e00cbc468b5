import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { orderReference } from "../bank-transfer/payment-instructions"
import { electronicCreditorReference, isValidCreditorReference } from "../bank-transfer/rf-reference"
import type { ReferenceFormat } from "../../providers/manual-payment/options"
import { methodFromProviderId } from "../../providers/manual-payment/options"
import { providerName } from "../desk/provider-names"
import { MANUAL_PAY_BY_SQL, openManualPaymentsSql } from "./open-manual-payments"

/** How the awaiting-payment list can be sorted (a leading `-` sorts descending). */
export const AWAITING_PAYMENT_ORDERS = ["pay_by", "-pay_by", "amount_due", "-amount_due", "display_id", "-display_id"] as const
export type AwaitingPaymentOrder = (typeof AWAITING_PAYMENT_ORDERS)[number]

/** The filters and page of `GET /admin/payment-desk/awaiting-payment`. */
export type AwaitingPaymentFilters = {
  q?: string
  method?: string
  overdue?: boolean
  order?: AwaitingPaymentOrder
  limit: number
  offset: number
  now?: Date
}

/** One order waiting for a manual payment, as the cashier's list shows it. */
export type AwaitingPaymentRow = {
  order_id: string
  display_id: number | null
  customer: { id: string | null; email: string | null; name: string | null }
  method: string
  method_name: string | null
  amount_due: number
  total: number
  currency_code: string
  pay_by: string | null
  overdue: boolean
  reference: string | null
  placed_at: string
}

/** The list's order, on the rows of `alias` (the open payments, then the page). */
function sortSql(order: AwaitingPaymentOrder, alias: string): string {
  const sorts: Record<AwaitingPaymentOrder, string> = {
    pay_by: `${alias}.pay_by asc nulls last, ${alias}.display_id asc`,
    "-pay_by": `${alias}.pay_by desc nulls last, ${alias}.display_id desc`,
    amount_due: `${alias}.amount_due asc, ${alias}.display_id asc`,
    "-amount_due": `${alias}.amount_due desc, ${alias}.display_id desc`,
    display_id: `${alias}.display_id asc`,
    "-display_id": `${alias}.display_id desc`,
  }
  return sorts[order]
}

/** The display id a search term names: digits (`1042`), or an RF creditor reference of a display id. */
function displayIdOf(q: string): number | null {
  const compact = electronicCreditorReference(q).replace(/^#/, "")
  if (/^[0-9]{1,9}$/.test(compact)) {
    return Number(compact)
  }
  if (isValidCreditorReference(compact) && /^[0-9]{1,9}$/.test(compact.slice(4))) {
    return Number(compact.slice(4))
  }
  return null
}

/**
 * Open orders with a manual payment (`pp_manual_*`) that still has money
 * due, with the page's total count, in one SQL query. Raw SQL because
 * `query.graph` cannot filter on a computed amount due (payment amount minus
 * its captures) or on the pay-by date (order date plus the method's window
 * stored on the payment), nor sort by them. The query starts from the
 * payments (`IDX_payment_provider_id` narrows to the manual ones, uncaptured
 * and not canceled) and joins their order through the payment collection
 * link; closed orders are excluded by the closures' unique order index.
 */
export async function listAwaitingPayment(
  container: MedusaContainer,
  filters: AwaitingPaymentFilters
): Promise<{ orders: AwaitingPaymentRow[]; count: number }> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const now = filters.now ?? new Date()
  const where: string[] = ["due.amount_due > 0"]
  const bindings: (string | number | Date)[] = []
  if (filters.method) {
    where.push("due.provider_id = ?")
    bindings.push(filters.method.startsWith("pp_") ? filters.method : `pp_manual_${filters.method}`)
  }
  if (filters.overdue === true) {
    where.push("due.pay_by is not null and due.pay_by < ?")
    bindings.push(now)
  } else if (filters.overdue === false) {
    where.push("(due.pay_by is null or due.pay_by >= ?)")
    bindings.push(now)
  }
  const q = filters.q?.trim()
  if (q) {
    const displayId = displayIdOf(q)
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    // The start of an RF reference as the customer quotes it ("RF74 1…"): the orders whose number begins so.
    const partialReference = displayId === null ? /^RF[0-9]{2}([0-9]{1,9})$/.exec(electronicCreditorReference(q)) : null
    if (partialReference) {
      where.push("(due.display_id::text like ? or due.email ilike ? or c.email ilike ?)")
      bindings.push(`${partialReference[1]}%`, like, like)
    } else if (displayId !== null) {
      where.push("(due.display_id = ? or due.email ilike ? or c.email ilike ?)")
      bindings.push(displayId, like, like)
    } else {
      where.push("(due.email ilike ? or c.email ilike ?)")
      bindings.push(like, like)
    }
  }
  const open = openManualPaymentsSql({ order_status: { not_in: ["canceled", "draft", "archived"] } })
  const order = filters.order ?? "pay_by"
  // What filters and sorts is worked out for every open payment; the order's total (its
  // summary) and the customer's name only for the page's rows.
  const { rows } = await pg.raw(
    `with due as (
       select o.id as order_id, o.display_id, o.email, o.customer_id, o.currency_code, o.created_at as placed_at,
              p.amount as payment_amount, p.provider_id, p.data->>'display_name' as display_name,
              p.data->>'reference_format' as reference_format,
              p.amount - coalesce((select sum(c.amount) from capture c where c.payment_id = p.id and c.deleted_at is null), 0) as amount_due,
              case when jsonb_typeof(p.data->'payment_window_hours') = 'number' then ${MANUAL_PAY_BY_SQL} end as pay_by
         ${open.sql}
     ),
     page as (
       select due.*, count(*) over () as full_count
         from due
         ${q ? "left join customer c on c.id = due.customer_id" : ""}
        where ${where.join(" and ")}
        order by ${sortSql(order, "due")}
        limit ? offset ?
     )
     select page.*, c.first_name, c.last_name, c.email as customer_email,
            coalesce(
              (select (os.totals->>'current_order_total')::numeric from order_summary os
                where os.order_id = page.order_id and os.deleted_at is null order by os.version desc limit 1),
              page.payment_amount) as total
       from page
       left join customer c on c.id = page.customer_id
      order by ${sortSql(order, "page")}`,
    [...open.bindings, ...bindings, filters.limit, filters.offset]
  )
  type Row = {
    order_id: string
    display_id: number | null
    email: string | null
    customer_id: string | null
    currency_code: string
    placed_at: Date
    provider_id: string
    display_name: string | null
    reference_format: string | null
    amount_due: string
    total: string
    pay_by: Date | null
    first_name: string | null
    last_name: string | null
    customer_email: string | null
    full_count: string
  }
  const list = rows as Row[]
  return {
    count: list.length ? Number(list[0].full_count) : await countWhenPastTheEnd(),
    orders: list.map((row) => ({
      order_id: row.order_id,
      display_id: row.display_id,
      customer: {
        id: row.customer_id,
        email: row.customer_email ?? row.email,
        name: [row.first_name, row.last_name].filter(Boolean).join(" ") || null,
      },
      method: methodFromProviderId(row.provider_id) ?? row.provider_id,
      method_name: providerName(row.provider_id, row.display_name),
      amount_due: Number(row.amount_due),
      total: Number(row.total),
      currency_code: row.currency_code,
      pay_by: row.pay_by ? new Date(row.pay_by).toISOString() : null,
      overdue: !!row.pay_by && new Date(row.pay_by).getTime() < now.getTime(),
      reference: orderReference(row.display_id, (row.reference_format as ReferenceFormat | null) ?? undefined),
      placed_at: new Date(row.placed_at).toISOString(),
    })),
  }

  // A page past the last row has no row to carry the count: ask once more for the first page's.
  async function countWhenPastTheEnd(): Promise<number> {
    if (filters.offset === 0) {
      return 0
    }
    const first = await listAwaitingPayment(container, { ...filters, offset: 0, limit: 1, now })
    return first.count
  }
}
