import type { Knex } from "@medusajs/framework/mikro-orm/postgresql"

/** A node of `EXPLAIN (FORMAT JSON)`'s plan. */
export type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] }

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

/** The indexes a plan reads (index, index-only and bitmap index scans), each by name. */
export function indexesOf(node: PlanNode): string[] {
  return [...(node["Index Name"] ? [node["Index Name"]] : []), ...(node.Plans ?? []).flatMap(indexesOf)]
}

/** The node types of a plan, top down. */
export function nodeTypesOf(node: PlanNode): string[] {
  return [node["Node Type"], ...(node.Plans ?? []).flatMap(nodeTypesOf)]
}

/** The plan PostgreSQL makes for a captured statement with its bindings. */
export async function explainPlan(knex: Knex, statement: { sql: string; bindings: unknown[] }): Promise<PlanNode> {
  const { rows } = await knex.raw(`explain (format json) ${statement.sql.replace(/\$\d+/g, "?")}`, statement.bindings as never)
  return rows[0]["QUERY PLAN"][0].Plan
}

/** The tables of the public schema PostgreSQL's statistics count over `rows` rows (run ANALYZE first). */
export async function tablesOver(knex: Knex, rows: number): Promise<Set<string>> {
  const { rows: sizes } = await knex.raw(
    `select relname, reltuples from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace and reltuples > ?`,
    [rows]
  )
  return new Set((sizes as { relname: string }[]).map((row) => row.relname))
}

/** The `select` statements (a `with … select` included) run on `knex` while `work` runs, with their bindings. */
export async function capturedSelects(knex: Knex, work: () => Promise<void>): Promise<{ sql: string; bindings: unknown[] }[]> {
  const statements: { sql: string; bindings: unknown[] }[] = []
  const listen = (data: { sql: string; bindings?: unknown[] }) => {
    if (/^\s*(select|with)\b/i.test(data.sql)) statements.push({ sql: data.sql, bindings: data.bindings ?? [] })
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
    const plan = await explainPlan(knex, { sql, bindings })
    explained++
    for (const node of unboundedScans(plan)) {
      if (node["Relation Name"] && big.has(node["Relation Name"])) {
        scans.push(`${node["Relation Name"]}: ${sql.slice(0, 300)}`)
      }
    }
  }
  return { scans, explained }
}
