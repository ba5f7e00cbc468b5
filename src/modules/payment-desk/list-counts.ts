import { toMikroORMEntity } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import AuditEntry from "./models/audit-entry"
import BankTransaction from "./models/bank-transaction"
import RefundRequest from "./models/refund-request"

/** Up to how many rows a desk list counts exactly; above it, the count is PostgreSQL's estimate. */
export const EXACT_COUNT_LIMIT = 10_000

/** The models whose lists count this way. */
export const COUNTED_MODELS = { AuditEntry, BankTransaction, RefundRequest } as const
export type CountedModel = keyof typeof COUNTED_MODELS

/** A list's count: exact up to {@link EXACT_COUNT_LIMIT}, else the planner's estimate (`estimated`), never below the limit. */
export type ListCount = { count: number; estimated: boolean }

/**
 * Counts the rows of `model` that `filters` (the list methods' filter syntax)
 * select, reading at most `limit + 1` of them: a store with a million audit
 * entries costs a page's worth of work per request, not a count of the
 * table. Past the limit the count is what PostgreSQL's planner estimates
 * for the filters (from the table's statistics), at least `limit + 1`.
 */
export async function countUpTo(
  sharedContext: Context,
  model: CountedModel,
  filters: Record<string, unknown>,
  limit = EXACT_COUNT_LIMIT
): Promise<ListCount> {
  const manager = sharedContext.manager as SqlEntityManager
  const entity = toMikroORMEntity(COUNTED_MODELS[model])
  const selected = () =>
    manager
      .createQueryBuilder(entity, "p0")
      .select("p0.id")
      .where({ ...filters, deleted_at: null })
  const knex = manager.getKnex()
  const [{ count }] = (await knex.count("* as count").from(selected().limit(limit + 1).getKnexQuery().as("bounded"))) as {
    count: string
  }[]
  if (Number(count) <= limit) {
    return { count: Number(count), estimated: false }
  }
  const { sql, bindings } = selected().getKnexQuery().toSQL()
  const { rows } = await knex.raw(`explain (format json) ${sql}`, bindings as readonly unknown[] as never)
  const estimate = Math.round(Number(rows[0]["QUERY PLAN"][0].Plan["Plan Rows"]))
  return { count: Math.max(estimate, limit + 1), estimated: true }
}
