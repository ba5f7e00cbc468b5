import { InjectManager, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { ActorType, AuditEntryRow, AuditSource } from "./models/audit-entry"
import { newestOfOrder, PaymentDeskBase, type PaymentDeskBaseService as Base } from "./service-base"
import { newestFirstPage, type KeysetPageCursors, type KeysetPosition } from "./keyset-page"
import type { CreatedAtCursor } from "../../utils/desk/timestamp-cursor"

/** What the audit list and its export filter on; every field narrows the result. */
export type AuditFilter = {
  /** Inclusive bounds on `created_at`. */
  created_at_from?: Date
  created_at_to?: Date
  /** One of these actions. */
  action?: string[]
  actor_id?: string
  actor_type?: ActorType
  order_id?: string
  method?: string
  source?: AuditSource
  /**
   * Entries of these orders (found by display id) or whose reference begins
   * with `text`, both compared without spaces and case (`referenceKey`).
   */
  q?: { order_ids: string[]; text: string }
}

/** An audit entry as the export reads it from the table (amount as its exact decimal string). */
export type AuditExportRow = Omit<AuditEntryRow, "amount" | "raw_amount"> & { amount: string | null }

/** Where the previous page of an export ended: its last entry (newest first). */
export type AuditCursor = CreatedAtCursor

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * A reference as the audit search compares it: without spaces (ASCII white
 * space, as PostgreSQL's `\s` in the migration that filled older rows) and in
 * capitals, so "rf18 0000 1234" finds "RF18 0000 1234 …". Stored in
 * `reference_key`, whose index (`text_pattern_ops`) serves a search by the
 * start of a reference over any number of entries.
 */
export function referenceKey(reference: string | null | undefined): string | null {
  if (reference === null || reference === undefined) return null
  return reference.replace(/[ \t\n\r\f\v]/g, "").toUpperCase()
}

/** The LIKE pattern of a search text: the entries whose `reference_key` begins with it. */
const referencePrefix = (text: string) => `${likeLiteral(referenceKey(text) ?? "")}%`

/** The audit filter in the list methods' filter syntax. */
export function auditListFilters(filter: AuditFilter): Record<string, unknown> {
  const where: Record<string, unknown> = {}
  if (filter.created_at_from || filter.created_at_to) {
    where.created_at = {
      ...(filter.created_at_from ? { $gte: filter.created_at_from } : {}),
      ...(filter.created_at_to ? { $lte: filter.created_at_to } : {}),
    }
  }
  for (const field of ["actor_id", "actor_type", "order_id", "method", "source"] as const) {
    if (filter[field] !== undefined) {
      where[field] = filter[field]
    }
  }
  if (filter.action?.length) {
    where.action = filter.action
  }
  if (filter.q) {
    where.$or = [
      ...(filter.q.order_ids.length ? [{ order_id: filter.q.order_ids }] : []),
      { reference_key: { $like: referencePrefix(filter.q.text) } },
    ]
  }
  return where
}

/**
 * Where a page of the audit list starts: after a cursor, before one, at the
 * oldest entries (`last`), or (none of them) `offset` entries from the newest.
 */
export type AuditPosition = KeysetPosition

/** The cursors of a page's first and last entry (null for an empty page). */
export type AuditPageCursors = KeysetPageCursors

/**
 * The filtered audit entries of one keyset page, newest first, with the
 * cursors of its ends (see {@link newestFirstPage}).
 */
async function auditKeysetPage(
  sharedContext: Context,
  filter: AuditFilter,
  position: AuditPosition,
  limit: number
): Promise<{ rows: (AuditExportRow & { raw_amount: unknown })[]; cursors: AuditPageCursors }> {
  const knex = (sharedContext.manager as SqlEntityManager).getKnex()
  const query = knex("payment_desk_audit_entry").select("*", knex.raw(`"amount"::text as "amount"`)).whereNull("deleted_at")
  if (filter.created_at_from) query.where("created_at", ">=", filter.created_at_from)
  if (filter.created_at_to) query.where("created_at", "<=", filter.created_at_to)
  for (const field of ["actor_id", "actor_type", "order_id", "method", "source"] as const) {
    if (filter[field] !== undefined) query.where(field, filter[field] as string)
  }
  if (filter.action?.length) query.whereIn("action", filter.action)
  if (filter.q) {
    const q = filter.q
    query.where((inner) => {
      if (q.order_ids.length) inner.whereIn("order_id", q.order_ids)
      inner.orWhere("reference_key", "like", referencePrefix(q.text))
    })
  }
  return newestFirstPage<AuditExportRow & { raw_amount: unknown }>(knex, query, position, limit)
}

// Kept aside for the one legitimate removal: a failed run discarding its own entry.
const discardAuditEntries = PaymentDeskBase.prototype.deleteAuditEntries

const appendOnly = async (): Promise<never> => {
  throw new MedusaError(
    MedusaError.Types.NOT_ALLOWED,
    "Audit entries are append-only: they cannot be updated, deleted or restored"
  )
}

/** The audit trail: append-only entries, written once per fact, read per order and page by page for exports. */
export abstract class AuditTrailData extends PaymentDeskBase {
  // The audit trail is append-only: the generated mutators refuse.
  updateAuditEntries = appendOnly as unknown as Base["updateAuditEntries"]
  deleteAuditEntries = appendOnly as unknown as Base["deleteAuditEntries"]
  softDeleteAuditEntries = appendOnly as unknown as Base["softDeleteAuditEntries"]
  restoreAuditEntries = appendOnly as unknown as Base["restoreAuditEntries"]

  /**
   * One page of the audit trail for an export, newest first, after `cursor`
   * (keyset paging on created_at and id, compared in the database at full
   * precision), so an export of any size reads a page at a time.
   */
  @InjectManager()
  async listAuditEntriesAfter(
    filter: AuditFilter,
    cursor: AuditCursor | null,
    limit: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ rows: AuditExportRow[]; next: AuditCursor | null }> {
    const { rows, cursors } = await auditKeysetPage(sharedContext, filter, cursor ? { after: cursor } : {}, limit)
    return {
      rows: rows.map(({ raw_amount: _raw, ...row }) => row as AuditExportRow),
      next: rows.length === limit ? cursors.last : null,
    }
  }

  /**
   * A page of the audit list, newest first: the entries just older than
   * `after`, just newer than `before`, or the oldest ones (`last`), each read
   * through the `(created_at, id)` index without an offset; else `offset`
   * entries from the newest. With the cursors of its first and last entry;
   * amounts are numbers beside `raw_amount`, as the list answers them.
   */
  @InjectManager()
  async listAuditPage(
    filter: AuditFilter,
    position: AuditPosition,
    limit: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ rows: (Omit<AuditExportRow, "amount"> & { amount: number | null; raw_amount: unknown })[]; cursors: AuditPageCursors }> {
    const { rows, cursors } = await auditKeysetPage(sharedContext, filter, position, limit)
    return { rows: rows.map((row) => ({ ...row, amount: row.amount === null ? null : Number(row.amount) })), cursors }
  }

  /**
   * An order's audit trail, newest first: the rows as `listAuditEntries`
   * gives them (amount a number, `raw_amount` beside it, dates as dates), read
   * in one plain statement. The order view and every money route's answer
   * read it; hydrating entities cost three times the query.
   */
  @InjectManager()
  async listOrderAuditTrail(orderId: string, limit: number, @MedusaContext() sharedContext: Context = {}): Promise<AuditEntryRow[]> {
    return (await newestOfOrder("payment_desk_audit_entry", orderId, limit, sharedContext)) as unknown as AuditEntryRow[]
  }

  /**
   * Removes entries that a workflow run wrote itself, from that run's
   * compensation only: a failed run must leave no trace of an action that
   * did not happen.
   */
  async discardAuditEntriesOfFailedRun(ids: string[], sharedContext?: Context): Promise<void> {
    if (ids.length) {
      await discardAuditEntries.call(this, ids, sharedContext)
    }
  }

  /**
   * Appends audit entries; an entry whose `dedupe_key` was written before is
   * skipped, so a retried or redelivered step records each fact once.
   * Returns the entries written now.
   */
  @InjectTransactionManager()
  async appendAuditEntries(
    entries: (Record<string, unknown> & { dedupe_key?: string | null })[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<AuditEntryRow[]> {
    const keys = entries.map((e) => e.dedupe_key).filter((k): k is string => !!k)
    const seen = keys.length
      ? new Set(
          (await this.listAuditEntries({ dedupe_key: keys }, { select: ["dedupe_key"] }, sharedContext)).map(
            (e) => e.dedupe_key
          )
        )
      : new Set<string | null>()
    const fresh = entries
      .filter((e) => !e.dedupe_key || !seen.has(e.dedupe_key))
      .map((e) => ({ ...e, reference_key: referenceKey(e.reference as string | null | undefined) }))
    if (!fresh.length) {
      return []
    }
    return (await this.createAuditEntries(
      fresh as Parameters<Base["createAuditEntries"]>[0] & unknown[],
      sharedContext
    )) as unknown as AuditEntryRow[]
  }
}
