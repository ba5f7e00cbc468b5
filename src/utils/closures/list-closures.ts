import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { actorBrief, ActorBrief, CustomerBrief, describePeople } from "../people/describe-people"
import { methodName } from "../desk/provider-names"
import { closeReasonLabel } from "./reasons"
import { closureSystemNote } from "../notes/system-notes"
import { cappedCount } from "../desk/capped-count"
import { CLOSURE_KEYSET_ORDERS, type ClosureCursor, encodeClosureCursor } from "./closure-cursor"

/** How the closures list can be sorted (a leading `-` sorts descending). */
export const CLOSURE_ORDERS = ["created_at", "-created_at", "refunded_amount", "-refunded_amount", "display_id", "-display_id"] as const
export type ClosureOrder = (typeof CLOSURE_ORDERS)[number]

/** The filters and page of `GET /admin/payment-desk/closures`. */
export type ClosureFilters = {
  q?: string
  reason?: string
  actor_type?: string
  method?: string
  created_at_from?: Date
  created_at_to?: Date
  order?: ClosureOrder
  limit: number
  offset: number
  /** Keyset pages (sorted by close time): the closures after or before a cursor, or the last page. */
  after?: ClosureCursor
  before?: ClosureCursor
  last?: boolean
}

/** One closed order as the admin list shows it. */
export type ClosureListRow = {
  id: string
  order_id: string
  order_display_id: number | null
  customer: CustomerBrief
  actor: ActorBrief
  reason: string
  reason_label: string | null
  note: string | null
  refunded_amount: number
  currency_code: string
  payment_method: string | null
  method_name: string | null
  source: string
  created_at: string
  /** When the order was closed (filters and sorting use it: it is indexed). */
  closed_at: string
}

const SORTS: Record<ClosureOrder, string> = {
  created_at: `cl.closed_at asc, cl.id asc`,
  "-created_at": `cl.closed_at desc, cl.id desc`,
  refunded_amount: `cl.refunded_amount asc, cl.id asc`,
  "-refunded_amount": `cl.refunded_amount desc, cl.id desc`,
  display_id: `o.display_id asc nulls last`,
  "-display_id": `o.display_id desc nulls last`,
}

/**
 * Closures with their order's display id and customer, filtered and paged,
 * with the count (exact up to 10,000, else PostgreSQL's estimate:
 * `count_estimated`), plus one batched lookup of the acting admins' names. Raw SQL because the search term spans the order
 * (display id, email) and the customer, which live in other modules.
 * Sorted by close time, a page is chosen by `offset` or by keyset (after or
 * before a cursor, or the last page, read through the `(closed_at, id)`
 * index without an offset), and `cursors` name its first and last closure;
 * in the other sorts pages go by offset and `cursors` are null.
 */
export async function listClosures(
  container: MedusaContainer,
  filters: ClosureFilters
): Promise<{
  closures: ClosureListRow[]
  count: number
  count_estimated: boolean
  cursors: { first: string | null; last: string | null }
}> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const where: string[] = ["cl.deleted_at is null"]
  const bindings: (string | number | Date)[] = []
  if (filters.reason) {
    where.push("cl.reason = ?")
    bindings.push(filters.reason)
  }
  if (filters.actor_type) {
    where.push("cl.actor_type = ?")
    bindings.push(filters.actor_type)
  }
  if (filters.method) {
    where.push("cl.payment_method = ?")
    bindings.push(filters.method.replace(/^pp_manual_/, ""))
  }
  if (filters.created_at_from) {
    where.push("cl.closed_at >= ?")
    bindings.push(filters.created_at_from)
  }
  if (filters.created_at_to) {
    where.push("cl.closed_at <= ?")
    bindings.push(filters.created_at_to)
  }
  const q = filters.q?.trim().replace(/^#/, "")
  if (q) {
    // Each match read through an index: the order by its number (Medusa's `IDX_order_display_id`)
    // or its id, the start of the order's or the customer's email and of the customer's name
    // (lower case, the plugin's `text_pattern_ops` indexes), then their closures by order and customer.
    const prefix = `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const displayId = /^[0-9]{1,9}$/.test(q) ? Number(q) : null
    where.push(`(cl.order_id = any(array(
        select o.id from "order" o where o.deleted_at is null and (${displayId === null ? "o.id = ?" : "o.display_id = ?"} or lower(o.email) like ?)
      )) or cl.customer_id = any(array(
        select cu.id from customer cu where cu.deleted_at is null
           and (lower(cu.email) like ? or lower(coalesce(cu.first_name, '') || ' ' || coalesce(cu.last_name, '')) like ?)
      )))`)
    bindings.push(displayId ?? q, prefix, prefix, prefix)
  }
  type Row = {
    id: string
    order_id: string
    actor_type: string
    actor_id: string | null
    reason: string
    note: string | null
    refunded_amount: string
    currency_code: string
    payment_method: string | null
    customer_id: string | null
    source: string
    created_at: Date
    closed_at: Date
    display_id: number | null
    order_email: string | null
    customer_email: string | null
    first_name: string | null
    last_name: string | null
    full_count?: string
    cursor_closed_at: string
  }
  const columns = `cl.id, cl.order_id, cl.actor_type, cl.actor_id, cl.reason, cl.note, cl.refunded_amount, cl.currency_code,
            cl.payment_method, cl.customer_id, cl.source, cl.created_at, cl.closed_at,
            o.display_id, o.email as order_email, cu.email as customer_email, cu.first_name, cu.last_name,
            cl.closed_at::text as cursor_closed_at`
  const order = filters.order ?? "-created_at"
  const keyset = (CLOSURE_KEYSET_ORDERS as readonly string[]).includes(order)
  const cursor = filters.after ?? filters.before
  if ((cursor || filters.last) && !keyset) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "page: sorted by refunded amount or order number, the list pages by offset only")
  }
  // A page before a cursor, and the last page, are read backwards (the other close-time sort) and turned round.
  const backwards = !!filters.before || !!filters.last
  const sort = SORTS[backwards ? (order === "created_at" ? "-created_at" : "created_at") : order]
  const pageWhere = [...where]
  const pageBindings = [...bindings]
  if (cursor) {
    // Compared as stored (microseconds: the cursor carries PostgreSQL's text), in the index's order.
    const forward = !!filters.after === (order === "created_at")
    pageWhere.push(`(cl.closed_at, cl.id) ${forward ? ">" : "<"} (?::timestamptz, ?)`)
    pageBindings.push(cursor.at, cursor.id)
  }
  // Unless sorted by order number, the closures alone decide the page (their indexes serve the
  // filters, the search's order and customer ids and the sort): the order and the customer are
  // read for the page's rows, and the count stops at 10,000 (then PostgreSQL's estimate).
  const onClosures = filters.order !== "display_id" && filters.order !== "-display_id"
  let list: Row[]
  let counted: { count: number; estimated: boolean }
  if (onClosures) {
    const [page, total] = await Promise.all([
      pg.raw(
        `with page as (
           select cl.* from payment_desk_order_closure cl where ${pageWhere.join(" and ")} order by ${sort} limit ? offset ?
         )
         select ${columns}
           from page cl
           left join "order" o on o.id = cl.order_id
           left join customer cu on cu.id = cl.customer_id
          order by ${sort}`,
        [...pageBindings, filters.limit, cursor || filters.last ? 0 : filters.offset]
      ),
      cappedCount(pg, `select 1 from payment_desk_order_closure cl where ${where.join(" and ")}`, bindings),
    ])
    list = backwards ? [...(page.rows as Row[])].reverse() : (page.rows as Row[])
    counted = total
  } else {
    const { rows } = await pg.raw(
      `select ${columns}, count(*) over () as full_count
         from payment_desk_order_closure cl
         left join "order" o on o.id = cl.order_id
         left join customer cu on cu.id = cl.customer_id
        where ${where.join(" and ")}
        order by ${sort}
        limit ? offset ?`,
      [...bindings, filters.limit, filters.offset]
    )
    list = rows as Row[]
    counted = { count: list.length ? Number(list[0].full_count) : 0, estimated: false }
    if (!list.length && filters.offset > 0) {
      counted = { count: (await listClosures(container, { ...filters, offset: 0, limit: 1 })).count, estimated: false }
    }
  }
  const people = await describePeople(container, {
    users: list.filter((row) => row.actor_type === "user").map((row) => row.actor_id),
    customers: list.filter((row) => row.actor_type === "customer").map((row) => row.actor_id),
  })
  return {
    count: counted.count,
    count_estimated: counted.estimated,
    cursors: {
      first: keyset && list.length ? encodeClosureCursor(list[0]) : null,
      last: keyset && list.length ? encodeClosureCursor(list[list.length - 1]) : null,
    },
    closures: list.map((row) => ({
      id: row.id,
      order_id: row.order_id,
      order_display_id: row.display_id,
      customer: {
        id: row.customer_id,
        email: row.customer_email ?? row.order_email,
        name: [row.first_name, row.last_name].filter(Boolean).join(" ") || null,
      },
      actor: actorBrief(people, row.actor_type, row.actor_id),
      reason: row.reason,
      reason_label: closeReasonLabel(row.reason),
      note: row.note,
      system_note: closureSystemNote(row),
      refunded_amount: Number(row.refunded_amount),
      currency_code: row.currency_code,
      payment_method: row.payment_method,
      method_name: methodName(row.payment_method),
      source: row.source,
      created_at: new Date(row.created_at).toISOString(),
      closed_at: new Date(row.closed_at).toISOString(),
    })),
  }
}
