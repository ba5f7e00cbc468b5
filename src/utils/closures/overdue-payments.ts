import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { MANUAL_PAY_BY_SQL, openManualPaymentsSql } from "../orders/open-manual-payments"

/** An order whose manual payment window has passed without full payment. */
export type OverdueManualPayment = {
  order_id: string
  payment_id: string
  provider_id: string
  currency_code: string
  amount: number
  captured: number
  pay_by: string
  /** The order's creation time as PostgreSQL prints it (microseconds kept): with `order_id`, the keyset cursor. */
  created_at: string
}

/** Where a page of candidates ends: the next page starts after `(created_at, order_id)`. */
export type OverdueCursor = { created_at: string; order_id: string }

/**
 * Orders still open whose manual payment's window (as stored on the payment
 * when the customer chose the method) has passed and that are not fully paid
 * or already closed, oldest first, one page at a time. One query over the
 * payment, link, order and capture tables that returns only candidates: the
 * open manual payments come from a partial index, pending orders are walked
 * by the `(created_at, id)` index, and a page starts strictly after `after`
 * (keyset), so a page costs the same on the 100th page as on the first and
 * rows closed meanwhile never shift it.
 */
export async function findOverdueManualPayments(
  container: MedusaContainer,
  {
    limit,
    now = new Date(),
    after = null,
    order_ids,
  }: { limit: number; now?: Date; after?: OverdueCursor | null; /** Only these orders (a batch a worker was given). */ order_ids?: string[] }
): Promise<OverdueManualPayment[]> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const open = openManualPaymentsSql({ order_status: { in: ["pending"] }, pay_by: { before: now } })
  const keyset = after ? `and (o.created_at, o.id) > (?::timestamptz, ?)` : ""
  const only = order_ids ? `and o.id = any(?::text[])` : ""
  const bindings: (Date | string | number | string[])[] = [...open.bindings]
  if (after) {
    bindings.push(after.created_at, after.order_id)
  }
  if (order_ids) {
    bindings.push(order_ids)
  }
  bindings.push(limit)
  const { rows } = await pg.raw(
    `select o.id as order_id, p.id as payment_id, p.provider_id, p.currency_code,
            p.amount::float as amount,
            coalesce((select sum(c.amount) from capture c where c.payment_id = p.id and c.deleted_at is null), 0)::float as captured,
            ${MANUAL_PAY_BY_SQL} as pay_by,
            o.created_at::text as created_at
       ${open.sql}
        ${keyset}
        ${only}
      order by o.created_at, o.id
      limit ?`,
    bindings
  )
  return (rows as (OverdueManualPayment & { pay_by: Date })[]).map((row) => ({
    ...row,
    pay_by: new Date(row.pay_by).toISOString(),
  }))
}

/**
 * Of `orderIds`, those Medusa has canceled and the plugin has not recorded
 * as closed: an auto-close whose worker stopped between Medusa's cancel and
 * the closure (the batch it was given says it was meant to be closed).
 */
export async function canceledWithoutClosure(container: MedusaContainer, orderIds: string[]): Promise<string[]> {
  if (!orderIds.length) return []
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await pg.raw(
    `select o.id from "order" o
      where o.id = any(?::text[]) and o.status = 'canceled' and o.deleted_at is null
        and not exists (select 1 from payment_desk_order_closure cl where cl.order_id = o.id and cl.deleted_at is null)`,
    [orderIds]
  )
  return (rows as { id: string }[]).map((row) => row.id)
}
