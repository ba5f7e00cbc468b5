import type { OrderStatus } from "@medusajs/framework/utils"

/**
 * A manual payment's pay-by date in SQL (aliases `o` for the order, `p` for
 * the payment): the order's creation plus the window the method stored on
 * the payment when the customer chose it; null when it stored none.
 */
export const MANUAL_PAY_BY_SQL = `o.created_at + ((p.data->>'payment_window_hours')::numeric * interval '1 hour')`

/** Which open manual payments {@link openManualPaymentsSql} reads. */
export type OpenManualPaymentsFilter = {
  /** The order statuses to read (`in`) or to leave out (`not_in`); at least one. */
  order_status: { in: readonly OrderStatusName[] } | { not_in: readonly OrderStatusName[] }
  /**
   * Only payments with a window whose pay-by date is strictly after `after`,
   * strictly before `before` and at or before `until` (each when given).
   * Without it, payments with and without a window are read.
   */
  pay_by?: { after?: Date; before?: Date; until?: Date }
}

/** One of Medusa's order statuses, as stored (`"pending"`, `"requires_action"`, ...). */
export type OrderStatusName = `${OrderStatus}`

// The statuses come from the type above, never from a request: safe to write into the SQL.
function statusList(statuses: readonly OrderStatusName[]): string {
  return statuses.map((status) => `'${status}'`).join(", ")
}

/**
 * The `from … where …` of open manual payments (`pp_manual_*`, neither
 * captured, canceled nor deleted) with their order (`p` and `o`), on orders
 * the plugin has not closed: what the auto-close sweep and the payment
 * reminders start from (the awaiting-payment list reads its own read model,
 * `modules/payment-desk/awaiting-payments.ts`, kept to the same rules). The payment
 * conditions stay literal so that the partial index
 * `IDX_payment_desk_open_manual_payment` serves them, and so do the order
 * statuses (one status is written `= '…'`, as the partial index
 * `IDX_payment_desk_pending_order_created` is). A caller appends its own
 * `and …` conditions, then its order and limit; `bindings` belong to the
 * placeholders in `sql`, in order.
 */
export function openManualPaymentsSql(filter: OpenManualPaymentsFilter): { sql: string; bindings: Date[] } {
  const status = "in" in filter.order_status
    ? filter.order_status.in.length === 1
      ? `o.status = ${statusList(filter.order_status.in)}`
      : `o.status in (${statusList(filter.order_status.in)})`
    : `o.status not in (${statusList(filter.order_status.not_in)})`
  const where = [
    `p.provider_id like 'pp\\_manual\\_%'`,
    `p.captured_at is null and p.canceled_at is null and p.deleted_at is null`,
  ]
  const bindings: Date[] = []
  const payBy = filter.pay_by
  if (payBy) {
    where.push(`jsonb_typeof(p.data->'payment_window_hours') = 'number'`)
  }
  where.push(status)
  if (payBy?.after) {
    where.push(`${MANUAL_PAY_BY_SQL} > ?`)
    bindings.push(payBy.after)
  }
  if (payBy?.before) {
    where.push(`${MANUAL_PAY_BY_SQL} < ?`)
    bindings.push(payBy.before)
  }
  if (payBy?.until) {
    where.push(`${MANUAL_PAY_BY_SQL} <= ?`)
    bindings.push(payBy.until)
  }
  where.push(`not exists (select 1 from payment_desk_order_closure cl where cl.order_id = o.id and cl.deleted_at is null)`)
  return {
    sql: `from payment p
       join order_payment_collection opc on opc.payment_collection_id = p.payment_collection_id and opc.deleted_at is null
       join "order" o on o.id = opc.order_id and o.deleted_at is null
      where ${where.join("\n        and ")}`,
    bindings,
  }
}
