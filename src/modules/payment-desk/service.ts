import {
  generateEntityId,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
} from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import AuditEntry from "./models/audit-entry"
import IdempotencyRecord from "./models/idempotency-record"
import RefundRequest from "./models/refund-request"
import WebhookEvent from "./models/webhook-event"
import OrderClosure from "./models/order-closure"
import Counter from "./models/counter"
import ClosureEffect from "./models/closure-effect"
import { PaymentDeskOptions, ResolvedPaymentDeskOptions, resolvePaymentDeskOptions } from "./options"

/** The answer to claiming an Idempotency-Key. */
export type IdempotencyClaim =
  | { state: "claimed"; record_id: string }
  | { state: "replay"; status: number; body: unknown }
  | { state: "in_progress" }
  | { state: "mismatch" }

type IdempotencyRow = {
  id: string
  request_hash: string
  state: "in_progress" | "completed"
  response_status: number | null
  response_body: unknown
  expires_at: Date
}

const PaymentDeskBase = MedusaService({
  AuditEntry,
  IdempotencyRecord,
  RefundRequest,
  WebhookEvent,
  OrderClosure,
  Counter,
  ClosureEffect,
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
        return { state: "in_progress" }
      }
      try {
        const created = await this.createIdempotencyRecords({
          ...input,
          state: "in_progress",
          expires_at: new Date(Date.now() + this.options_.idempotency_ttl_hours * 3_600_000),
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

  /** Forgets a webhook event whose handling failed, so the provider's redelivery is handled. */
  async forgetWebhookEvent(input: { provider: string; event_id: string }): Promise<void> {
    const rows = await this.listWebhookEvents(input)
    if (rows.length) {
      await this.deleteWebhookEvents(rows.map((row) => row.id))
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
    const knex = (sharedContext.transactionManager as SqlEntityManager).getKnex()
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

  /** Frees a claimed key whose request failed unexpectedly, so a retry can run. */
  async releaseIdempotencyKey(recordId: string): Promise<void> {
    await this.deleteIdempotencyRecords(recordId)
  }
}

export default PaymentDeskModuleService
