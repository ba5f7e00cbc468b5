import {
  generateEntityId,
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
} from "@medusajs/framework/utils"
import type { Context, InferTypeOf } from "@medusajs/framework/types"
import type { Knex, SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import AuditEntry, { ActorType, AuditEntryInput, AuditEntryRow, AuditSource } from "./models/audit-entry"
import IdempotencyRecord from "./models/idempotency-record"
import RefundRequest, { RefundRequestRow, RefundStatus } from "./models/refund-request"
import WebhookEvent from "./models/webhook-event"
import OrderClosure from "./models/order-closure"
import Counter from "./models/counter"
import ClosureEffect from "./models/closure-effect"
import BankStatement from "./models/bank-statement"
import BankTransaction, { BankTransactionRow, BankTransactionStatus } from "./models/bank-transaction"
import CancellationRequest, { CancellationRequestRow, CancellationRequestStatus } from "./models/cancellation-request"
import JobRun from "./models/job-run"
import { PaymentDeskOptions, ResolvedPaymentDeskOptions, resolvePaymentDeskOptions } from "./options"
import type { ParsedBankLine } from "../../types/bank-statements"

/** The answer to claiming an Idempotency-Key. */
export type IdempotencyClaim =
  | { state: "claimed"; record_id: string }
  | { state: "replay"; status: number; body: unknown }
  | { state: "in_progress" }
  | { state: "mismatch" }
  | IdempotencyOrphan

/** The answer to claiming an Idempotency-Key whose earlier request ended without an answer to replay. */
export type IdempotencyOrphan = { state: "orphaned"; record_id: string }

type IdempotencyRow = InferTypeOf<typeof IdempotencyRecord>

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

/** A transition that took place: the row as it is now and the audit facts written with it. */
export type RefundTransitionResult = { row: RefundRequestRow; written_facts: string[] }

/** A bank line's compare-and-set: from one of the expected statuses to another, with the fields that change. */
export type BankTransactionTransition = {
  id: string
  from: BankTransactionStatus[]
  to: BankTransactionStatus
  patch?: Record<string, unknown>
}

/**
 * A statement line as the importer stores it (ids and the import's id are
 * given by the service): the parsed line's fields, the account and dedupe key
 * it is stored under, and the matcher's decision. Derived from
 * {@link ParsedBankLine}, so a field added there must be stored (or added to
 * the omitted ones here) before the importer compiles again.
 */
export type BankTransactionInsert = Omit<
  ParsedBankLine,
  // Folded into `account`, or only read while matching: there are no columns for them.
  "account_iban" | "account_number" | "reversal" | "customer_reference"
> & {
  account: string
  dedupe_key: string
  status: BankTransactionStatus
  match_type: string
  amount_match: string | null
  order_id: string | null
  suggested_order_ids: string[]
  excess_amount: string | null
  refund_request_id: string | null
  review_reason: string | null
}

/** A stored statement line: its id and status. */
export type StoredLine = { id: string; status: BankTransactionStatus }

const BANK_TRANSACTION_COLUMNS = [
  "id", "bank_statement_id", "line", "account", "dedupe_key", "bank_transaction_id", "direction", "amount",
  "raw_amount", "currency_code", "booking_date", "value_date", "remittance", "structured_reference",
  "end_to_end_id", "counterparty_name", "counterparty_iban", "status", "match_type", "amount_match", "order_id",
  "suggested_order_ids", "excess_amount", "raw_excess_amount", "refund_request_id", "review_reason",
] as const
// Every field of an insert has a column above: a field added to a parsed line fails to compile here until it is stored.
type NoUnstoredField<Field extends never> = Field
type BankTransactionFieldsStored = NoUnstoredField<Exclude<keyof BankTransactionInsert, (typeof BANK_TRANSACTION_COLUMNS)[number]>>
const BANK_TRANSACTION_COLUMN_TYPES = [
  "id text", "bank_statement_id text", "line integer", "account text", "dedupe_key text", "bank_transaction_id text",
  "direction text", "amount numeric", "raw_amount jsonb", "currency_code text", "booking_date timestamptz",
  "value_date timestamptz", "remittance text", "structured_reference text", "end_to_end_id text",
  "counterparty_name text", "counterparty_iban text", "status text", "match_type text", "amount_match text",
  "order_id text", "suggested_order_ids jsonb", "excess_amount numeric", "raw_excess_amount jsonb",
  "refund_request_id text", "review_reason text",
].join(", ")
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
  /** Entries of these orders (found by display id) or whose reference contains `text`. */
  q?: { order_ids: string[]; text: string }
}

/** An audit entry as the export reads it from the table (amount as its exact decimal string). */
export type AuditExportRow = Omit<AuditEntryRow, "amount" | "raw_amount"> & { amount: string | null }

/** Where the previous page of an export ended: its last entry (newest first). */
export type AuditCursor = { created_at: string; id: string }

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

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
      { reference: { $ilike: `%${likeLiteral(filter.q.text)}%` } },
    ]
  }
  return where
}

/** Seconds an `in_progress` Idempotency-Key is presumed alive (longer than any money action holds the order lock). */
export const IDEMPOTENCY_LEASE_SECONDS = 150

/**
 * The knex transaction of a `@InjectTransactionManager` method: its raw
 * writes belong to the same transaction as the method's other writes
 * (`getKnex()` would be the pool, outside it).
 */
function transactionOf(sharedContext: Context): Knex.Transaction {
  const trx = (sharedContext.transactionManager as SqlEntityManager).getTransactionContext<Knex.Transaction>()
  if (!trx) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "payment_desk: a raw write ran outside its transaction")
  }
  return trx
}

const PaymentDeskBase = MedusaService({
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
})
type Base = InstanceType<typeof PaymentDeskBase>
// Kept aside for the one legitimate removal: a failed run discarding its own entry.
const discardAuditEntries = PaymentDeskBase.prototype.deleteAuditEntries

const appendOnly = async (): Promise<never> => {
  throw new MedusaError(
    MedusaError.Types.NOT_ALLOWED,
    "Audit entries are append-only: they cannot be updated, deleted or restored"
  )
}

/**
 * The payment desk's data: the append-only audit trail and the
 * Idempotency-Key records; also holds the plugin's resolved options.
 */
class PaymentDeskModuleService extends PaymentDeskBase {
  protected readonly options_: ResolvedPaymentDeskOptions

  constructor(container: Record<string, unknown>, options: PaymentDeskOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.options_ = resolvePaymentDeskOptions(options as Record<string, unknown>)
  }

  /** The plugin options with their defaults. */
  getOptions(): ResolvedPaymentDeskOptions {
    return this.options_
  }

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
    const knex = (sharedContext.manager as SqlEntityManager).getKnex()
    const query = knex("payment_desk_audit_entry")
      .select("*", knex.raw(`"created_at"::text as "cursor_created_at"`), knex.raw(`"amount"::text as "amount"`))
      .whereNull("deleted_at")
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
        inner.orWhere("reference", "ilike", `%${likeLiteral(q.text)}%`)
      })
    }
    if (cursor) {
      query.whereRaw(`("created_at", "id") < (?::timestamptz, ?)`, [cursor.created_at, cursor.id])
    }
    const rows = (await query.orderBy([
      { column: "created_at", order: "desc" },
      { column: "id", order: "desc" },
    ]).limit(limit)) as (AuditExportRow & { cursor_created_at: string; raw_amount?: unknown })[]
    const last = rows[rows.length - 1]
    return {
      rows: rows.map(({ cursor_created_at: _cursor, raw_amount: _raw, ...row }) => row),
      next: rows.length === limit && last ? { created_at: last.cursor_created_at, id: last.id } : null,
    }
  }

  /**
   * An order's audit trail, newest first: the rows as `listAuditEntries`
   * gives them (amount a number, `raw_amount` beside it, dates as dates), read
   * in one plain statement. The order view and every money route's answer
   * read it; hydrating entities cost three times the query.
   */
  @InjectManager()
  async listOrderAuditTrail(orderId: string, limit: number, @MedusaContext() sharedContext: Context = {}): Promise<AuditEntryRow[]> {
    return (await this.newestOfOrder_("payment_desk_audit_entry", orderId, limit, sharedContext)) as unknown as AuditEntryRow[]
  }

  /** An order's refund ledger, newest first, as `listRefundRequests` gives it, in one plain statement (see {@link listOrderAuditTrail}). */
  @InjectManager()
  async listOrderRefundLedger(orderId: string, @MedusaContext() sharedContext: Context = {}): Promise<RefundRequestRow[]> {
    return (await this.newestOfOrder_("payment_desk_refund_request", orderId, null, sharedContext)) as unknown as RefundRequestRow[]
  }

  /** An order's rows of a table, newest first, with `amount` a number as the entity gives it. */
  private async newestOfOrder_(table: string, orderId: string, limit: number | null, sharedContext: Context) {
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

  /**
   * Records that a job ran and what it did; runs of the same job older than
   * `keepDays` are dropped (a job every 5 minutes would otherwise add 100,000 rows a year).
   */
  async recordJobRun(
    input: { name: string; started_at: Date; finished_at: Date; report: Record<string, unknown> | null },
    keepDays = 30
  ): Promise<void> {
    await this.createJobRuns(input)
    const old = await this.listJobRuns(
      { name: input.name, started_at: { $lt: new Date(Date.now() - keepDays * 86_400_000) } },
      { select: ["id"], take: 1000 }
    )
    if (old.length) {
      await this.deleteJobRuns(old.map((run) => run.id))
    }
  }

  /** When each job last ran and what it did: the newest run of every job name. */
  async lastJobRuns(names: string[]): Promise<Record<string, InferTypeOf<typeof JobRun> | null>> {
    const runs: Record<string, InferTypeOf<typeof JobRun> | null> = {}
    await Promise.all(
      names.map(async (name) => {
        const [run] = await this.listJobRuns({ name }, { take: 1, order: { started_at: "DESC" } })
        runs[name] = (run as unknown as InferTypeOf<typeof JobRun>) ?? null
      })
    )
    return runs
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
   * Claims `key` within `scope` for a request whose body hashes to
   * `requestHash`, or tells how the earlier request with that key stands.
   */
  async claimIdempotencyKey(input: {
    scope: string
    key: string
    request_hash: string
  }): Promise<IdempotencyClaim> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const [existing] = (await this.listIdempotencyRecords({
        scope: input.scope,
        key: input.key,
      })) as unknown as IdempotencyRow[]
      if (existing && new Date(existing.expires_at) <= new Date()) {
        await this.deleteIdempotencyRecords(existing.id)
        continue
      }
      if (existing) {
        if (existing.request_hash !== input.request_hash) {
          return { state: "mismatch" }
        }
        if (existing.state === "completed") {
          return { state: "replay", status: existing.response_status ?? 200, body: existing.response_body }
        }
        if (existing.lease_expires_at && new Date(existing.lease_expires_at) <= new Date()) {
          // Its request died or ended in a server error: take it over (one
          // taker wins) and let the route answer from what it left behind.
          const taken = await this.takeOverIdempotencyKey(existing.id, existing.lease_expires_at)
          if (taken) {
            return { state: "orphaned", record_id: existing.id }
          }
        }
        return { state: "in_progress" }
      }
      try {
        const created = await this.createIdempotencyRecords({
          ...input,
          state: "in_progress",
          expires_at: new Date(Date.now() + this.options_.idempotency_ttl_hours * 3_600_000),
          lease_expires_at: new Date(Date.now() + IDEMPOTENCY_LEASE_SECONDS * 1000),
        })
        return { state: "claimed", record_id: created.id }
      } catch (error) {
        // Another request claimed the key between our read and our insert:
        // the unique (scope, key) index refused ours; read theirs.
        if (attempt === 1) {
          throw error
        }
      }
    }
    return { state: "in_progress" }
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

  /**
   * Adds to counters atomically (an upsert per counter), so concurrent closes
   * on several server instances never lose an increment.
   */
  @InjectTransactionManager()
  async incrementCounters(
    entries: { scope: string; name: string; by?: number }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const knex = transactionOf(sharedContext)
    for (const entry of entries) {
      await knex.raw(
        `insert into "payment_desk_counter" ("id", "scope", "name", "value") values (?, ?, ?, ?)
         on conflict ("scope", "name") where "deleted_at" is null
         do update set "value" = "payment_desk_counter"."value" + excluded."value", "updated_at" = now()`,
        [generateEntityId(undefined, "pdcnt"), entry.scope, entry.name, entry.by ?? 1]
      )
    }
  }

  /**
   * Adds a closure to the counters exactly once: the closure's `counters`
   * effect is claimed and the counters incremented in one transaction, so a
   * crash leaves either both or neither. False when it was counted before.
   */
  @InjectTransactionManager()
  async countClosureOnce(
    orderClosureId: string,
    entries: { scope: string; name: string; by?: number }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const knex = transactionOf(sharedContext)
    const { rows } = await knex.raw(
      `insert into "payment_desk_closure_effect" ("id", "order_closure_id", "effect") values (?, ?, 'counters')
       on conflict ("order_closure_id", "effect") where "deleted_at" is null do nothing returning "id"`,
      [generateEntityId(undefined, "pdeff"), orderClosureId]
    )
    if (!rows.length) {
      return false
    }
    await this.incrementCounters(entries, sharedContext)
    return true
  }

  /**
   * Claims a closure's side effect; false when it was done (or is being done)
   * already, so a twice-delivered event does it once.
   */
  async claimClosureEffect(orderClosureId: string, effect: string): Promise<boolean> {
    try {
      await this.createClosureEffects({ order_closure_id: orderClosureId, effect })
      return true
    } catch (error) {
      const [done] = await this.listClosureEffects({ order_closure_id: orderClosureId, effect })
      if (done) {
        return false
      }
      throw error
    }
  }

  /** Gives a claimed effect back after it failed, so a retry does it. */
  async releaseClosureEffect(orderClosureId: string, effect: string): Promise<void> {
    const rows = await this.listClosureEffects({ order_closure_id: orderClosureId, effect })
    if (rows.length) {
      await this.deleteClosureEffects(rows.map((row) => row.id))
    }
  }

  /** Stores the answer of a claimed key so retries replay it. */
  async completeIdempotencyKey(recordId: string, status: number, body: unknown): Promise<void> {
    await this.updateIdempotencyRecords({
      id: recordId,
      state: "completed",
      response_status: status,
      response_body: body as Record<string, unknown>,
    })
  }

  /** Frees a claimed key whose request changed nothing (a refusal or conflict), so a retry runs afresh. */
  async releaseIdempotencyKey(recordId: string): Promise<void> {
    await this.deleteIdempotencyRecords(recordId)
  }

  /**
   * Ends the lease of a key whose request failed with a server error: it
   * may have moved money, so the key is never freed; the next request with
   * it resolves it from what the failed one left behind.
   */
  async endIdempotencyLease(recordId: string): Promise<void> {
    await this.updateIdempotencyRecords({ id: recordId, lease_expires_at: new Date() })
  }

  /** Claims an in-progress key whose lease ended, once (compare-and-set on the lease). */
  @InjectTransactionManager()
  protected async takeOverIdempotencyKey(
    recordId: string,
    leaseExpiresAt: Date,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const knex = transactionOf(sharedContext)
    const updated = await knex("payment_desk_idempotency_record")
      .where({ id: recordId, state: "in_progress", lease_expires_at: new Date(leaseExpiresAt) })
      .update({ lease_expires_at: new Date(Date.now() + IDEMPOTENCY_LEASE_SECONDS * 1000), updated_at: new Date() })
    return Number(updated) === 1
  }

  /**
   * Stores an import and its lines in one transaction: a line already stored
   * (same account and dedupe key, from this file or an earlier one) is
   * skipped, so importing a file twice stores nothing twice. Returns the ids
   * of the lines stored now and of the skipped ones.
   */
  @InjectTransactionManager()
  async storeBankStatement(
    input: { statement: Record<string, unknown>; transactions: BankTransactionInsert[] },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ statement_id: string; inserted: StoredLine[]; duplicates: StoredLine[] }> {
    const knex = transactionOf(sharedContext)
    const statementId = generateEntityId(undefined, "pdbst")
    await knex("payment_desk_bank_statement").insert({
      ...input.statement,
      id: statementId,
      statement_ids: JSON.stringify(input.statement.statement_ids ?? []),
      accounts: JSON.stringify(input.statement.accounts ?? []),
    })
    const rows = input.transactions.map((row) => ({
      ...row,
      id: generateEntityId(undefined, "pdbtx"),
      bank_statement_id: statementId,
      raw_amount: { value: row.amount, precision: 20 },
      raw_excess_amount: row.excess_amount === null ? null : { value: row.excess_amount, precision: 20 },
      suggested_order_ids: { ids: row.suggested_order_ids },
    }))
    const inserted: StoredLine[] = []
    // One statement per chunk, the rows travelling as one JSON parameter.
    for (let start = 0; start < rows.length; start += 2000) {
      const chunk = rows.slice(start, start + 2000)
      const result = await knex.raw(
        `insert into "payment_desk_bank_transaction" (${BANK_TRANSACTION_COLUMNS.map((c) => `"${c}"`).join(", ")})
         select ${BANK_TRANSACTION_COLUMNS.map((c) => `x."${c}"`).join(", ")}
         from jsonb_to_recordset(?::jsonb) as x(${BANK_TRANSACTION_COLUMN_TYPES})
         on conflict ("account", "dedupe_key") where "deleted_at" is null do nothing
         returning "id", "status"`,
        [JSON.stringify(chunk)]
      )
      inserted.push(...(result.rows as StoredLine[]))
    }
    const fresh = new Set(inserted.map((row) => row.id))
    const skippedKeys = rows.filter((row) => !fresh.has(row.id))
    const duplicates: StoredLine[] = []
    for (let start = 0; start < skippedKeys.length; start += 2000) {
      const chunk = skippedKeys.slice(start, start + 2000)
      const found = await knex("payment_desk_bank_transaction")
        .select("id", "status")
        .whereNull("deleted_at")
        .whereIn(["account", "dedupe_key"], chunk.map((row) => [row.account, row.dedupe_key]))
      duplicates.push(...(found as StoredLine[]))
    }
    // The ids the database kept for the lines it stored now (the generated ones above).
    return { statement_id: statementId, inserted, duplicates }
  }

  /**
   * Moves a bank transaction from an expected status to another
   * (compare-and-set): null when it was not in `from`, so of two people
   * deciding one line at once exactly one wins.
   */
  @InjectTransactionManager()
  async transitionBankTransaction(
    transition: BankTransactionTransition,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<BankTransactionRow | null> {
    if (!(await this.moveBankTransaction(transition, sharedContext))) {
      return null
    }
    return (await this.retrieveBankTransaction(transition.id, {}, sharedContext)) as unknown as BankTransactionRow
  }

  /**
   * The compare-and-set of {@link transitionBankTransaction} without reading
   * the line back: whether it moved (one statement, for the import's loop).
   */
  @InjectTransactionManager()
  async moveBankTransaction(transition: BankTransactionTransition, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    const knex = transactionOf(sharedContext)
    const patch: Record<string, unknown> = { ...(transition.patch ?? {}), status: transition.to, updated_at: new Date() }
    if ("excess_amount" in patch) {
      const excess = patch.excess_amount as string | null
      patch.raw_excess_amount = excess === null ? null : JSON.stringify({ value: excess, precision: 20 })
    }
    if ("suggested_order_ids" in patch) {
      patch.suggested_order_ids = JSON.stringify({ ids: patch.suggested_order_ids ?? [] })
    }
    const updated = Number(
      await knex("payment_desk_bank_transaction")
        .where({ id: transition.id })
        .whereIn("status", transition.from)
        .whereNull("deleted_at")
        .update(patch)
    )
    return updated === 1
  }

  /**
   * Takes a failed import back out: its lines that booked nothing, and the
   * import itself unless some of its lines booked money meanwhile.
   */
  @InjectTransactionManager()
  async discardBankStatement(id: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    const knex = transactionOf(sharedContext)
    await knex("payment_desk_bank_transaction")
      .where({ bank_statement_id: id })
      .whereNotIn("status", ["recorded", "matched"])
      .delete()
    const [{ n }] = await knex("payment_desk_bank_transaction").count({ n: "*" }).where({ bank_statement_id: id })
    if (Number(n) === 0) {
      await knex("payment_desk_bank_statement").where({ id }).delete()
    }
  }

  /** Counts an import's lines by status and writes the figures on the import. */
  @InjectTransactionManager()
  async summarizeBankStatement(
    input: { id: string; duplicates: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const knex = transactionOf(sharedContext)
    const counts = await knex("payment_desk_bank_transaction")
      .select("status", "direction", "refund_request_id")
      .count({ n: "*" })
      .where({ bank_statement_id: input.id })
      .whereNull("deleted_at")
      .groupBy("status", "direction", "refund_request_id")
    const sum = (test: (row: { status: string; direction: string; refund_request_id: string | null }) => boolean) =>
      counts.filter((row) => test(row as never)).reduce((total, row) => total + Number(row.n), 0)
    await knex("payment_desk_bank_statement")
      .where({ id: input.id })
      .update({
        recorded: sum((row) => row.status === "recorded" && row.direction === "credit"),
        payouts_recorded: sum((row) => row.status === "recorded" && row.direction === "debit"),
        review: sum((row) => row.status === "review" || row.status === "matched"),
        ignored: sum((row) => row.status === "ignored"),
        duplicates: input.duplicates,
        updated_at: new Date(),
      })
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
    if ("attempt_log" in patch) {
      patch.attempt_log = patch.attempt_log == null ? null : JSON.stringify(patch.attempt_log)
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
   * Answers a cancellation request once (compare-and-set on its status):
   * null when it was not in `from` any more (someone answered first), so the
   * loser of a race changes nothing.
   */
  @InjectTransactionManager()
  async transitionCancellationRequest(
    transition: {
      id: string
      from: CancellationRequestStatus[]
      to: CancellationRequestStatus
      patch?: Partial<Pick<CancellationRequestRow, "answered_by" | "answer_message" | "answered_at" | "order_closure_id">>
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<CancellationRequestRow | null> {
    const knex = transactionOf(sharedContext)
    const updated = Number(
      await knex("payment_desk_cancellation_request")
        .where({ id: transition.id })
        .whereIn("status", transition.from)
        .whereNull("deleted_at")
        .update({ ...(transition.patch ?? {}), status: transition.to, updated_at: new Date() })
    )
    if (updated !== 1) {
      return null
    }
    return (await this.retrieveCancellationRequest(transition.id, {}, sharedContext)) as unknown as CancellationRequestRow
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
    const fresh = entries.filter((e) => !e.dedupe_key || !seen.has(e.dedupe_key))
    if (!fresh.length) {
      return []
    }
    return (await this.createAuditEntries(
      fresh as Parameters<Base["createAuditEntries"]>[0] & unknown[],
      sharedContext
    )) as unknown as AuditEntryRow[]
  }
}

export default PaymentDeskModuleService
