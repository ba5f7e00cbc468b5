import { toMikroORMEntity } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import AuditEntry from "./models/audit-entry"
import BankTransaction from "./models/bank-transaction"
import RefundRequest from "./models/refund-request"
import { cappedCount, EXACT_COUNT_LIMIT, type ListCount } from "../../utils/desk/capped-count"

export { EXACT_COUNT_LIMIT }
export type { ListCount }

/** The models whose lists count this way. */
export const COUNTED_MODELS = { AuditEntry, BankTransaction, RefundRequest } as const
export type CountedModel = keyof typeof COUNTED_MODELS

/**
 * Counts the rows of `model` that `filters` (the list methods' filter syntax)
 * select, as {@link cappedCount} does: exact up to `limit`, else the
 * planner's estimate.
 */
export async function countUpTo(
  sharedContext: Context,
  model: CountedModel,
  filters: Record<string, unknown>,
  limit = EXACT_COUNT_LIMIT
): Promise<ListCount> {
  const manager = sharedContext.manager as SqlEntityManager
  const { sql, bindings } = manager
    .createQueryBuilder(toMikroORMEntity(COUNTED_MODELS[model]), "p0")
    .select("p0.id")
    .where({ ...filters, deleted_at: null })
    .getKnexQuery()
    .toSQL()
  return cappedCount(manager.getKnex(), sql, bindings, limit)
}
