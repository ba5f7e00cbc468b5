import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { MANUAL_PAY_BY_SQL, openManualPaymentsSql } from "../orders/open-manual-payments"
import { emailKeys } from "./email-data"

/** An order whose manual payment is due soon and whose customer has had no reminder yet. */
export type ReminderCandidate = { order_id: string; pay_by: string; cursor: ReminderCursor }

/** Where a page ended: its last row's pay-by date as PostgreSQL wrote it (microseconds kept) and order id. */
export type ReminderCursor = { pay_by: string; order_id: string }

/**
 * One page of orders to remind, soonest deadline first: paid with a manual
 * method whose payment is neither fully captured nor canceled, still open
 * (not canceled, completed or closed by the plugin), with a pay-by date after
 * `now` and at most `within_hours` ahead, and no reminder sent yet (the
 * notification's idempotency key is unique, so that check is an index probe).
 * Paged by (pay_by, order id) after `after`, so rows a run could not remind
 * (no email, a failing provider) never hide the ones behind them.
 */
export async function findOrdersToRemind(
  container: MedusaContainer,
  {
    within_hours,
    limit,
    now = new Date(),
    after = null,
  }: { within_hours: number; limit: number; now?: Date; after?: ReminderCursor | null }
): Promise<ReminderCandidate[]> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const until = new Date(now.getTime() + within_hours * 3_600_000)
  const keyPrefix = emailKeys.reminder("")
  const open = openManualPaymentsSql({
    order_status: { in: ["pending", "requires_action"] },
    pay_by: { after: now, until },
  })
  const { rows } = await pg.raw(
    `select order_id, pay_by, pay_by::text as pay_by_text from (
       select distinct on (o.id) o.id as order_id, ${MANUAL_PAY_BY_SQL} as pay_by
         ${open.sql}
          and not exists (
            select 1 from notification n
             where n.idempotency_key = ? || o.id and n.status <> 'failure' and n.deleted_at is null
          )
        order by o.id, p.created_at desc
     ) due
     where (?::timestamptz is null or (pay_by, order_id) > (?::timestamptz, ?::text))
     order by pay_by, order_id
     limit ?`,
    [...open.bindings, keyPrefix, after?.pay_by ?? null, after?.pay_by ?? null, after?.order_id ?? "", limit]
  )
  return (rows as { order_id: string; pay_by: Date | string; pay_by_text: string }[]).map((row) => ({
    order_id: row.order_id,
    pay_by: new Date(row.pay_by).toISOString(),
    cursor: { pay_by: row.pay_by_text, order_id: row.order_id },
  }))
}
