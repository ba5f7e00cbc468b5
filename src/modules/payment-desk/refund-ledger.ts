import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { AuditEntryInput } from "./models/audit-entry"
import type { RefundRequestRow, RefundStatus } from "./models/refund-request"
import { IdempotencyData } from "./idempotency"
import { newestOfOrder, transactionOf } from "./service-base"
import { newestFirstPage, type KeysetPageCursors, type KeysetPosition } from "./keyset-page"

/** The fields a guarded ledger transition may write besides the status. */
export type RefundRequestPatch = Partial<
  Pick<
    RefundRequestRow,
    | "attempts"
    | "provider_key"
    | "dispatched_at"
    | "provider_refund_id"
    | "medusa_refund_id"
    | "last_error"
    | "next_attempt_at"
    | "settled_at"
    | "payout_reference"
    | "payout_export_id"
    | "metadata"
  >
> & { attempt_log?: Record<string, unknown> | null }

/** A guarded ledger transition: from one of `from` (and, when given, at `attempts`) to `to`. */
export type RefundTransition = {
  id: string
  from: RefundStatus[]
  to: RefundStatus
  /** Only when the row is still at this attempt (a second dispatch of the same attempt loses). */
  attempts?: number
  patch?: RefundRequestPatch
  /** A provider webhook event marked handled in the same transaction as the change. */
  webhook_event?: { provider: string; event_id: string; type: string }
  /** Audit facts of the change, written in the same transaction (deduplicated by their keys). */
  audit?: AuditEntryInput[]
}

/** Reconciliation's look at a row its provider still reports as it is (see `recordRefundChecks`). */
export type RefundCheckWrite = {
  id: string
  /** The row's status and attempt, unchanged by the look. */
  status: RefundStatus
  attempts: number
  /** The fields written, as they were read. */
  from: { attempt_log: Record<string, unknown> | null; provider_refund_id: string | null; last_error: string | null }
  patch: { attempt_log: Record<string, unknown>; provider_refund_id: string | null; last_error: string | null; next_attempt_at: Date }
}

/** What the refunds list filters on: one status or several, and an order. */
export type RefundListFilter = { status?: RefundStatus | RefundStatus[]; order_id?: string }

/** A transition that took place: the row as it is now and the audit facts written with it. */
export type RefundTransitionResult = { row: RefundRequestRow; written_facts: string[] }

/** The refund ledger: guarded status changes written with their audit facts, an order's ledger, the provider's webhook events. */
export abstract class RefundLedgerData extends IdempotencyData {
  /** An order's refund ledger, newest first, as `listRefundRequests` gives it, in one plain statement (see {@link listOrderAuditTrail}). */
  @InjectManager()
  async listOrderRefundLedger(orderId: string, @MedusaContext() sharedContext: Context = {}): Promise<RefundRequestRow[]> {
    return (await newestOfOrder("payment_desk_refund_request", orderId, null, sharedContext)) as unknown as RefundRequestRow[]
  }

  /**
   * A page of the refund ledger across orders, newest first, filtered by
   * status and order: the rows just older than `after`, just newer than
   * `before`, or the oldest ones (`last`), each read through the
   * `(created_at, id)` index without an offset; else `offset` rows from the
   * newest. Rows as `listRefundRequests` gives them, with the cursors of the
   * page's first and last row.
   */
  @InjectManager()
  async listRefundPage(
    filter: RefundListFilter,
    position: KeysetPosition,
    limit: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ rows: RefundRequestRow[]; cursors: KeysetPageCursors }> {
    const knex = (sharedContext.manager as SqlEntityManager).getKnex()
    const query = knex("payment_desk_refund_request").select("*").whereNull("deleted_at")
    if (filter.status !== undefined) query.whereIn("status", ([] as RefundStatus[]).concat(filter.status))
    if (filter.order_id !== undefined) query.where("order_id", filter.order_id)
    const { rows, cursors } = await newestFirstPage<RefundRequestRow & { id: string }>(knex, query, position, limit)
    return { rows: rows.map((row) => ({ ...row, amount: Number(row.amount) })) as RefundRequestRow[], cursors }
  }

  /**
   * Moves a ledger row from an expected status to another (compare-and-set):
   * null when the row was not in `from` (someone else moved it first), so
   * the loser of a race changes nothing. Its audit facts, and a webhook event
   * given (marked handled), are written in the same transaction: a change is
   * never recorded without its audit trail, nor the reverse.
   */
  @InjectTransactionManager()
  async transitionRefundRequest(
    transition: RefundTransition,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<RefundTransitionResult | null> {
    const knex = transactionOf(sharedContext)
    const patch: Record<string, unknown> = { ...(transition.patch ?? {}), status: transition.to, updated_at: new Date() }
    for (const json of ["attempt_log", "metadata"]) {
      if (json in patch) {
        patch[json] = patch[json] == null ? null : JSON.stringify(patch[json])
      }
    }
    let update = knex("payment_desk_refund_request")
      .where({ id: transition.id })
      .whereIn("status", transition.from)
      .whereNull("deleted_at")
    if (transition.attempts !== undefined) {
      update = update.andWhere("attempts", transition.attempts)
    }
    const updated = Number(await update.update(patch))
    if (updated !== 1) {
      return null
    }
    if (transition.webhook_event) {
      await knex.raw(
        `insert into "payment_desk_webhook_event" ("id", "provider", "event_id", "type") values (?, ?, ?, ?)
         on conflict ("provider", "event_id") where "deleted_at" is null do nothing`,
        [
          generateEntityId(undefined, "pdwh"),
          transition.webhook_event.provider,
          transition.webhook_event.event_id,
          transition.webhook_event.type,
        ]
      )
    }
    const written = transition.audit?.length
      ? await this.appendAuditEntries(
          transition.audit.map((entry) => ({ ...entry, received_at: entry.received_at ? new Date(entry.received_at) : null })),
          sharedContext
        )
      : []
    return {
      row: (await this.retrieveRefundRequest(transition.id, {}, sharedContext)) as unknown as RefundRequestRow,
      written_facts: written.map((entry) => entry.dedupe_key).filter((key): key is string => !!key),
    }
  }

  /**
   * Writes reconciliation's look at rows the provider still reports as they
   * are (pending or requires action), in one statement per 200 rows: the
   * answer in the attempt log, the provider's refund id, the message and the
   * next look. Each row is written only if its status, attempt, attempt log,
   * provider refund id and message are still those the checks were made from
   * (a compare-and-set on every field written), so a row someone changed
   * meanwhile keeps that change. Returns the ids written.
   */
  @InjectTransactionManager()
  async recordRefundChecks(checks: RefundCheckWrite[], @MedusaContext() sharedContext: Context = {}): Promise<string[]> {
    const knex = transactionOf(sharedContext)
    const written: string[] = []
    for (let i = 0; i < checks.length; i += 200) {
      const page = checks.slice(i, i + 200)
      const values = page.map(() => "(?, ?, ?::integer, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?::timestamptz)").join(", ")
      const bindings = page.flatMap((check) => [
        check.id,
        check.status,
        check.attempts,
        check.from.attempt_log == null ? null : JSON.stringify(check.from.attempt_log),
        check.from.provider_refund_id,
        check.from.last_error,
        JSON.stringify(check.patch.attempt_log),
        check.patch.provider_refund_id,
        check.patch.last_error,
        check.patch.next_attempt_at,
      ])
      const { rows } = await knex.raw(
        `update "payment_desk_refund_request" as r
            set "attempt_log" = v.new_log, "provider_refund_id" = v.new_provider_refund_id,
                "last_error" = v.new_last_error, "next_attempt_at" = v.next_attempt_at, "updated_at" = now()
           from (values ${values}) as v(id, status, attempts, old_log, old_provider_refund_id, old_last_error,
                                        new_log, new_provider_refund_id, new_last_error, next_attempt_at)
          where r.id = v.id and r.status = v.status and r.attempts = v.attempts and r.deleted_at is null
            and r.attempt_log is not distinct from v.old_log
            and r.provider_refund_id is not distinct from v.old_provider_refund_id
            and r.last_error is not distinct from v.old_last_error
         returning r.id`,
        bindings
      )
      written.push(...(rows as { id: string }[]).map((row) => row.id))
    }
    return written
  }

  /**
   * Records a provider webhook event once; false when it was seen before
   * (the unique (provider, event_id) index decides under concurrency).
   */
  async markWebhookEventHandled(input: { provider: string; event_id: string; type: string }): Promise<boolean> {
    const [seen] = await this.listWebhookEvents({ provider: input.provider, event_id: input.event_id })
    if (seen) {
      return false
    }
    try {
      await this.createWebhookEvents(input)
      return true
    } catch (error) {
      const [raced] = await this.listWebhookEvents({ provider: input.provider, event_id: input.event_id })
      if (raced) {
        return false
      }
      throw error
    }
  }
}
