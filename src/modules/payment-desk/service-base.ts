import { MedusaError, MedusaService } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { Knex, SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import AuditEntry from "./models/audit-entry"
import IdempotencyRecord from "./models/idempotency-record"
import RefundRequest from "./models/refund-request"
import WebhookEvent from "./models/webhook-event"
import OrderClosure from "./models/order-closure"
import Counter from "./models/counter"
import ClosureEffect from "./models/closure-effect"
import BankStatement from "./models/bank-statement"
import BankTransaction from "./models/bank-transaction"
import CancellationRequest from "./models/cancellation-request"
import JobRun from "./models/job-run"
import Receipt from "./models/receipt"
import PayoutExport from "./models/payout-export"

/** The generated methods (list, retrieve, create, update, delete, ...) of every model: the bottom of the service's layers. */
export const PaymentDeskBase = MedusaService({
  AuditEntry,
  IdempotencyRecord,
  RefundRequest,
  WebhookEvent,
  OrderClosure,
  Counter,
  ClosureEffect,
  BankStatement,
  BankTransaction,
  CancellationRequest,
  JobRun,
  Receipt,
  PayoutExport,
})

/** An instance of {@link PaymentDeskBase}, to name the generated methods' types. */
export type PaymentDeskBaseService = InstanceType<typeof PaymentDeskBase>

/**
 * The knex transaction of a `@InjectTransactionManager` method: its raw
 * writes belong to the same transaction as the method's other writes
 * (`getKnex()` would be the pool, outside it).
 */
export function transactionOf(sharedContext: Context): Knex.Transaction {
  const trx = (sharedContext.transactionManager as SqlEntityManager).getTransactionContext<Knex.Transaction>()
  if (!trx) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "payment_desk: a raw write ran outside its transaction")
  }
  return trx
}

/**
 * The compare-and-set every status change of the plugin's rows is: moves row
 * `id` of `table` to `to` (with `patch`) only from one of the `from`
 * statuses, in the method's transaction; whether it moved (the loser of a
 * race moves nothing).
 */
export async function moveStatus(
  sharedContext: Context,
  table: string,
  transition: { id: string; from: readonly string[]; to: string; patch?: Record<string, unknown> }
): Promise<boolean> {
  const updated = Number(
    await transactionOf(sharedContext)(table)
      .where({ id: transition.id })
      .whereIn("status", transition.from)
      .whereNull("deleted_at")
      .update({ ...(transition.patch ?? {}), status: transition.to, updated_at: new Date() })
  )
  return updated === 1
}

/** An order's rows of a table, newest first, with `amount` a number as the entity gives it. */
export async function newestOfOrder(table: string, orderId: string, limit: number | null, sharedContext: Context) {
  const knex = (sharedContext.manager as SqlEntityManager).getKnex()
  const query = knex(table)
    .select("*")
    .where({ order_id: orderId })
    .whereNull("deleted_at")
    .orderBy([
      { column: "created_at", order: "desc" },
      { column: "id", order: "desc" },
    ])
  if (limit !== null) {
    query.limit(limit)
  }
  const rows = (await query) as { amount: string | null }[]
  return rows.map((row) => ({ ...row, amount: row.amount === null ? null : Number(row.amount) }))
}
