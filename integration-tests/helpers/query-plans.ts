import type { Knex } from "@medusajs/framework/mikro-orm/postgresql"

/** A node of `EXPLAIN (FORMAT JSON)`'s plan. */
export type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] }

// Nodes that read all of their input before giving a row: a Limit above one does not bound what is below it.
const BLOCKING = new Set(["Sort", "Incremental Sort", "Aggregate", "Hash", "Materialize", "WindowAgg", "Unique", "SetOp", "Gather Merge", "Gather"])

/**
 * The sequential scans of a plan that no Limit bounds (with nothing that
 * reads all its input in between: a sort, an aggregate, a hash). A capped
 * count reads at most 10,001 rows so and passes; a page sorted from a
 * whole-table scan, or a count of the table, is one.
 */
export function unboundedScans(node: PlanNode, bounded = false): PlanNode[] {
  const within = node["Node Type"] === "Limit" ? true : BLOCKING.has(node["Node Type"]) ? false : bounded
  const own = node["Node Type"] === "Seq Scan" && !within ? [node] : []
  return [...own, ...(node.Plans ?? []).flatMap((child) => unboundedScans(child, within))]
}

/** The tables of the public schema PostgreSQL's statistics count over `rows` rows (run ANALYZE first). */
export async function tablesOver(knex: Knex, rows: number): Promise<Set<string>> {
  const { rows: sizes } = await knex.raw(
    `select relname, reltuples from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace and reltuples > ?`,
    [rows]
  )
  return new Set((sizes as { relname: string }[]).map((row) => row.relname))
}

/** The `select` statements run on `knex` while `work` runs, with their bindings. */
export async function capturedSelects(knex: Knex, work: () => Promise<void>): Promise<{ sql: string; bindings: unknown[] }[]> {
  const statements: { sql: string; bindings: unknown[] }[] = []
  const listen = (data: { sql: string; bindings?: unknown[] }) => {
    if (/^\s*select/i.test(data.sql)) statements.push({ sql: data.sql, bindings: data.bindings ?? [] })
  }
  knex.on("query", listen)
  try {
    await work()
  } finally {
    knex.removeListener("query", listen)
  }
  return statements
}

/**
 * Explains each statement that names one of `tables` (a pattern) with its
 * bindings and returns the unbounded sequential scans of the tables in
 * `big`, each as "table: statement", and how many statements it explained.
 */
export async function seqScansOfBigTables(
  knex: Knex,
  statements: { sql: string; bindings: unknown[] }[],
  tables: RegExp,
  big: Set<string>
): Promise<{ scans: string[]; explained: number }> {
  const scans: string[] = []
  let explained = 0
  for (const { sql, bindings } of statements) {
    if (!tables.test(sql)) continue
    const { rows } = await knex.raw(`explain (format json) ${sql.replace(/\$\d+/g, "?")}`, bindings as never)
    explained++
    for (const node of unboundedScans(rows[0]["QUERY PLAN"][0].Plan)) {
      if (node["Relation Name"] && big.has(node["Relation Name"])) {
        scans.push(`${node["Relation Name"]}: ${sql.slice(0, 300)}`)
      }
    }
  }
  return { scans, explained }
}
