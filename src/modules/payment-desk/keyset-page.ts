import type { Knex } from "@medusajs/framework/mikro-orm/postgresql"
import type { CreatedAtCursor } from "../../utils/desk/timestamp-cursor"

/**
 * Where a page of a list sorted newest first by `(created_at, id)` starts:
 * after a cursor (older rows), before one (newer rows), at the oldest rows
 * (`last`), or (none of them) `offset` rows from the newest.
 */
export type KeysetPosition = { after?: CreatedAtCursor | null; before?: CreatedAtCursor | null; last?: boolean; offset?: number }

/** The cursors of a page's first and last row (null for an empty page). */
export type KeysetPageCursors = { first: CreatedAtCursor | null; last: CreatedAtCursor | null }

/**
 * One page of `query` (a select from one table, its filters applied),
 * newest first, with the cursors of its ends: `created_at` compared as
 * stored (microseconds) in the order of the table's `(created_at, id)`
 * index, so a keyset page reads only its own rows however deep it is; read
 * backwards for `before` and `last` and then turned round.
 */
export async function newestFirstPage<Row extends { id: string }>(
  knex: Knex,
  query: Knex.QueryBuilder,
  position: KeysetPosition,
  limit: number
): Promise<{ rows: Row[]; cursors: KeysetPageCursors }> {
  query.select(knex.raw(`"created_at"::text as "cursor_created_at"`))
  const backwards = !!position.before || (!!position.last && !position.after)
  if (position.after) {
    query.whereRaw(`("created_at", "id") < (?::timestamptz, ?)`, [position.after.created_at, position.after.id])
  } else if (position.before) {
    query.whereRaw(`("created_at", "id") > (?::timestamptz, ?)`, [position.before.created_at, position.before.id])
  }
  const direction = backwards ? "asc" : "desc"
  const read = (await query
    .orderBy([
      { column: "created_at", order: direction },
      { column: "id", order: direction },
    ])
    .limit(limit)
    .offset(position.after || position.before || position.last ? 0 : (position.offset ?? 0))) as (Row & { cursor_created_at: string })[]
  const rows = backwards ? read.reverse() : read
  const cursorOf = (row: { cursor_created_at: string; id: string } | undefined) =>
    row ? { created_at: row.cursor_created_at, id: row.id } : null
  return {
    rows: rows.map(({ cursor_created_at: _cursor, ...row }) => row as unknown as Row),
    cursors: { first: cursorOf(rows[0]), last: cursorOf(rows[rows.length - 1]) },
  }
}
