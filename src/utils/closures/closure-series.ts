import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"

/** One day of closures and refund failures (UTC day). */
export type ClosureDay = {
  day: string
  by_reason: Record<string, number>
  by_actor: Record<"customer" | "user" | "system", number>
  by_method: Record<string, number>
  payment_timeouts: number
  refund_failures: number
}

/** A customer who closed their own orders, with how many. */
export type TopCustomer = { customer_id: string; email: string | null; name: string | null; closes: number }

const dayOf = (value: Date | string) => new Date(value).toISOString().slice(0, 10)

/**
 * Closures per UTC day over the last `days` days (today included), by
 * reason, actor and method, with payment timeouts and failed refunds: two
 * SQL group-bys (closures; refund ledger rows that failed), every day present.
 */
export async function closureSeries(container: MedusaContainer, days: number, now = new Date()): Promise<ClosureDay[]> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)))
  const [closures, failures] = await Promise.all([
    pg.raw(
      `select to_char(closed_at at time zone 'UTC', 'YYYY-MM-DD') as day, reason, actor_type,
              coalesce(payment_method, 'none') as method, count(*)::int as n
         from payment_desk_order_closure
        where deleted_at is null and closed_at >= ?
        group by 1, 2, 3, 4`,
      [start]
    ),
    pg.raw(
      `select to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n
         from payment_desk_refund_request
        where deleted_at is null and status = 'failed' and updated_at >= ?
        group by 1`,
      [start]
    ),
  ])
  const series = new Map<string, ClosureDay>()
  for (let i = 0; i < days; i++) {
    const day = dayOf(new Date(start.getTime() + i * 86_400_000))
    series.set(day, { day, by_reason: {}, by_actor: { customer: 0, user: 0, system: 0 }, by_method: {}, payment_timeouts: 0, refund_failures: 0 })
  }
  for (const row of closures.rows as { day: string; reason: string; actor_type: "customer" | "user" | "system"; method: string; n: number }[]) {
    const entry = series.get(row.day)
    if (!entry) {
      continue
    }
    entry.by_reason[row.reason] = (entry.by_reason[row.reason] ?? 0) + row.n
    entry.by_actor[row.actor_type] = (entry.by_actor[row.actor_type] ?? 0) + row.n
    entry.by_method[row.method] = (entry.by_method[row.method] ?? 0) + row.n
    if (row.reason === "payment_timeout") {
      entry.payment_timeouts += row.n
    }
  }
  for (const row of failures.rows as { day: string; n: number }[]) {
    const entry = series.get(row.day)
    if (entry) {
      entry.refund_failures += row.n
    }
  }
  return [...series.values()]
}

/**
 * The customers who closed the most of their own orders (closures whose
 * actor is the customer; the merchant's and the system's closes do not
 * count against a customer), most first.
 */
export async function topClosingCustomers(container: MedusaContainer, limit = 10): Promise<TopCustomer[]> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await pg.raw(
    `select t.customer_id, t.closes, c.email, c.first_name, c.last_name
       from (select customer_id, count(*)::int as closes
               from payment_desk_order_closure
              where deleted_at is null and actor_type = 'customer' and customer_id is not null and actor_id = customer_id
              group by customer_id
              order by closes desc, customer_id
              limit ?) t
       left join customer c on c.id = t.customer_id
      order by t.closes desc, t.customer_id`,
    [limit]
  )
  return (rows as { customer_id: string; closes: number; email: string | null; first_name: string | null; last_name: string | null }[]).map(
    (row) => ({
      customer_id: row.customer_id,
      email: row.email,
      name: [row.first_name, row.last_name].filter(Boolean).join(" ") || null,
      closes: row.closes,
    })
  )
}
