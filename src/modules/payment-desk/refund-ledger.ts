import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { AuditEntryInput } from "./models/audit-entry"
import type { RefundRequestRow, RefundStatus } from "./models/refund-request"
import { IdempotencyData } from "./idempotency"
import { newestOfOrder, transactionOf } from "./service-base"

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
