import type { Knex } from "@medusajs/framework/mikro-orm/postgresql"

/** Up to how many rows a desk list counts exactly; above it, the count is PostgreSQL's estimate. */
export const EXACT_COUNT_LIMIT = 10_000

/** A list's count: exact up to {@link EXACT_COUNT_LIMIT}, else the planner's estimate (`estimated`), never below the limit. */
export type ListCount = { count: number; estimated: boolean }

/**
 * Counts the rows of `sql` (a `select` with `?` placeholders for
 * `bindings`), reading at most `limit + 1` of them: a list over a million
 * rows costs a page's worth of work per request, not a count of the table.
 * Past the limit the count is what PostgreSQL's planner estimates for the
 * statement (from the tables' statistics), at least `limit + 1`.
 */
export async function cappedCount(
  knex: Knex,
  sql: string,
  bindings: readonly unknown[],
  limit = EXACT_COUNT_LIMIT
): Promise<ListCount> {
  const { rows } = await knex.raw(`select count(*) as count from (${sql} limit ${Number(limit) + 1}) as bounded`, bindings as never)
  const count = Number(rows[0].count)
  if (count <= limit) {
    return { count, estimated: false }
  }
  const { rows: plan } = await knex.raw(`explain (format json) ${sql}`, bindings as never)
  const estimate = Math.round(Number(plan[0]["QUERY PLAN"][0].Plan["Plan Rows"]))
  return { count: Math.max(estimate, limit + 1), estimated: true }
}
