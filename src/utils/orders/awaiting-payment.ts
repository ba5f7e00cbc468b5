import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { orderReference } from "../bank-transfer/payment-instructions"
import { electronicCreditorReference, isValidCreditorReference } from "../bank-transfer/rf-reference"
import type { ReferenceFormat } from "../../providers/manual-payment/options"
import { methodFromProviderId } from "../../providers/manual-payment/options"
import { providerName } from "../desk/provider-names"
import { AWAITING_PAYMENT_TABLE } from "../../modules/payment-desk/awaiting-payments"
import { cappedCount } from "../desk/capped-count"
import { type AwaitingCursor, keysetOrder, encodeAwaitingCursor } from "./awaiting-payment-cursor"

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
  /** Keyset paging (sorted by pay-by date or order number only): the rows after or before a row's cursor, or the last page. */
  after?: AwaitingCursor
  before?: AwaitingCursor
  last?: boolean
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

/** The list's sort on the read model's rows (`a`): a key the index holds, then the payment id, so that every row has one place. */
function sortSql(order: AwaitingPaymentOrder, reverse = false): string {
  const keys: Record<AwaitingPaymentOrder, [string, "asc" | "desc"][]> = {
    pay_by: [["a.pay_by_key", "asc"], ["a.display_id", "asc"], ["a.payment_id", "asc"]],
    "-pay_by": [["a.pay_by_key", "desc"], ["a.display_id", "desc"], ["a.payment_id", "desc"]],
    amount_due: [["amount_due", "asc"], ["a.display_id", "asc"], ["a.payment_id", "asc"]],
    "-amount_due": [["amount_due", "desc"], ["a.display_id", "desc"], ["a.payment_id", "desc"]],
    display_id: [["a.display_id", "asc"], ["a.payment_id", "asc"]],
    "-display_id": [["a.display_id", "desc"], ["a.payment_id", "desc"]],
  }
  const flip = (direction: "asc" | "desc") => (reverse ? (direction === "asc" ? "desc" : "asc") : direction)
  return keys[order].map(([key, direction]) => `${key} ${flip(direction)}`).join(", ")
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
 * The order numbers that begin with `digits`, as ranges of the integer
 * (`12` is 12, 120–129, 1200–1299, … up to nine digits), so that the
 * order-number index serves a search by the start of a reference.
 */
function displayIdPrefixRanges(digits: string): [number, number][] {
  const ranges: [number, number][] = []
  for (let width = digits.length; width <= 9; width++) {
    const low = Number(digits.padEnd(width, "0"))
    const high = Number(digits.padEnd(width, "9"))
    if (width > digits.length && digits.startsWith("0")) break
    ranges.push([low, high])
  }
  return ranges
}

/**
 * Open orders with a manual payment (`pp_manual_*`) that still has money
 * due, a page of them and their count. The rows come from the read model
 * PostgreSQL keeps (`payment_desk_awaiting_payment`, see
 * `modules/payment-desk/awaiting-payments.ts`) through an index in the
 * list's order; each row is checked against Medusa's tables (the payment
 * still open, the order neither canceled nor closed, money still due) in the
 * same query, so a page never shows a settled order; the count is the read
 * model's alone (its triggers write in the transaction that settles a
 * payment, so the two differ only while such a write is in flight). Sorted by pay-by date
 * or number, a page after or before a row's cursor, or the last page, is
 * read by keyset; sorted by amount due, the amounts of every open payment
 * are worked out (no index can hold them) and pages go by offset.
 */
export async function listAwaitingPayment(
  container: MedusaContainer,
  filters: AwaitingPaymentFilters
): Promise<{ orders: AwaitingPaymentRow[]; count: number; count_estimated: boolean; cursors: { first: string | null; last: string | null } }> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const now = filters.now ?? new Date()
  const where: string[] = []
  const bindings: (string | number | Date)[] = []
  if (filters.method) {
    where.push("a.provider_id = ?")
    bindings.push(filters.method.startsWith("pp_") ? filters.method : `pp_manual_${filters.method}`)
  }
  if (filters.overdue === true) {
    where.push("a.pay_by_key < ?")
    bindings.push(now)
  } else if (filters.overdue === false) {
    where.push("a.pay_by_key >= ?")
    bindings.push(now)
  }
  const q = filters.q?.trim()
  if (q) {
    const matches: string[] = []
    const displayId = displayIdOf(q)
    // The start of an RF reference as the customer quotes it ("RF74 1…"): the orders whose number begins so.
    const partialReference = displayId === null ? /^RF[0-9]{2}([0-9]{1,9})$/.exec(electronicCreditorReference(q)) : null
    if (partialReference) {
      for (const [low, high] of displayIdPrefixRanges(partialReference[1])) {
        matches.push("a.display_id between ? and ?")
        bindings.push(low, high)
      }
    } else if (displayId !== null) {
      matches.push("a.display_id = ?")
      bindings.push(displayId)
    }
    // An email by its start, case ignored (the index holds the order's email in lower case).
    matches.push("a.email_key like ?")
    bindings.push(`${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    where.push(`(${matches.join(" or ")})`)
  }
  const order = filters.order ?? "pay_by"
  // The rows of the read model that Medusa's tables still call open, with what the list shows of them.
  const open = `
      from ${AWAITING_PAYMENT_TABLE} a
      join payment p on p.id = a.payment_id and p.captured_at is null and p.canceled_at is null and p.deleted_at is null
      join "order" o on o.id = a.order_id and o.deleted_at is null and o.status not in ('canceled', 'draft', 'archived')
      cross join lateral (
        select p.amount - coalesce(sum(c.amount), 0) as amount_due from capture c where c.payment_id = p.id and c.deleted_at is null
      ) due
     where due.amount_due > 0
       and not exists (select 1 from payment_desk_order_closure cl where cl.order_id = a.order_id and cl.deleted_at is null)
       ${where.map((condition) => `and ${condition}`).join("\n       ")}`
  const keyset: string[] = []
  const keysetBindings: (string | number)[] = []
  const cursor = filters.after ?? filters.before
  if (cursor) {
    const { columns, values } = keysetOrder(order, cursor)
    const descending = order.startsWith("-")
    const forward = filters.after ? !descending : descending
    keyset.push(`and (${columns.join(", ")}) ${forward ? ">" : "<"} (${columns.map(() => "?").join(", ")})`)
    keysetBindings.push(...values)
  }
  // A page before a cursor, and the last page, are read backwards and turned round.
  const backwards = !!filters.before || !!filters.last
  const { rows } = await pg.raw(
    `select a.payment_id, a.order_id, a.display_id, a.provider_id, a.currency_code, a.pay_by, a.pay_by_key::text as pay_by_key,
            a.placed_at, o.email, o.customer_id, p.amount as payment_amount, due.amount_due,
            p.data->>'display_name' as display_name, p.data->>'reference_format' as reference_format
       ${open}
       ${keyset.join(" ")}
      order by ${sortSql(order, backwards)}
      limit ? offset ?`,
    [...bindings, ...keysetBindings, filters.limit, cursor || filters.last ? 0 : filters.offset]
  )
  type Row = {
    payment_id: string
    order_id: string
    display_id: number
    email: string | null
    customer_id: string | null
    currency_code: string
    placed_at: Date
    provider_id: string
    display_name: string | null
    reference_format: string | null
    payment_amount: string
    amount_due: string
    pay_by: Date | null
    pay_by_key: string
  }
  const page = (backwards ? [...(rows as Row[])].reverse() : (rows as Row[]))
  const [details, counted] = await Promise.all([
    pageDetails(page),
    cappedCount(pg, `select a.payment_id from ${AWAITING_PAYMENT_TABLE} a ${where.length ? `where ${where.join(" and ")}` : ""}`, bindings),
  ])
  return {
    count: counted.count,
    count_estimated: counted.estimated,
    cursors: {
      first: page.length ? encodeAwaitingCursor(order, page[0]) : null,
      last: page.length ? encodeAwaitingCursor(order, page[page.length - 1]) : null,
    },
    orders: page.map((row) => {
      const detail = details.get(row.payment_id)
      return {
        order_id: row.order_id,
        display_id: row.display_id,
        customer: {
          id: row.customer_id,
          email: detail?.customer_email ?? row.email,
          name: [detail?.first_name, detail?.last_name].filter(Boolean).join(" ") || null,
        },
        method: methodFromProviderId(row.provider_id) ?? row.provider_id,
        method_name: providerName(row.provider_id, row.display_name),
        amount_due: Number(row.amount_due),
        total: Number(detail?.total ?? row.payment_amount),
        currency_code: row.currency_code,
        pay_by: row.pay_by ? new Date(row.pay_by).toISOString() : null,
        overdue: !!row.pay_by && new Date(row.pay_by).getTime() < now.getTime(),
        reference: orderReference(row.display_id, (row.reference_format as ReferenceFormat | null) ?? undefined),
        placed_at: new Date(row.placed_at).toISOString(),
      }
    }),
  }

  // The order's total (its latest summary) and the customer's name, for the page's rows only.
  async function pageDetails(list: Row[]) {
    const found = new Map<string, { total: string | null; first_name: string | null; last_name: string | null; customer_email: string | null }>()
    if (!list.length) return found
    const { rows: extra } = await pg.raw(
      `select page.payment_id, c.first_name, c.last_name, c.email as customer_email,
              (select (os.totals->>'current_order_total')::numeric from order_summary os
                where os.order_id = page.order_id and os.deleted_at is null order by os.version desc limit 1) as total
         from unnest(?::text[], ?::text[], ?::text[]) as page(payment_id, order_id, customer_id)
         left join customer c on c.id = page.customer_id`,
      [list.map((row) => row.payment_id), list.map((row) => row.order_id), list.map((row) => row.customer_id ?? "")]
    )
    for (const row of extra) found.set(row.payment_id, row)
    return found
  }
}
