import { InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context, InferTypeOf } from "@medusajs/framework/types"
import type IdempotencyRecord from "./models/idempotency-record"
import type { ResolvedPaymentDeskOptions } from "./options"
import { AuditTrailData } from "./audit-trail"
import { transactionOf } from "./service-base"

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

/** Seconds an `in_progress` Idempotency-Key is presumed alive (longer than any money action holds the order lock). */
export const IDEMPOTENCY_LEASE_SECONDS = 150

/** Idempotency-Keys of the money routes: claimed by a request, replayed to its retries, taken over when their request died. */
export abstract class IdempotencyData extends AuditTrailData {
  /** The plugin options with their defaults (a key's time to live); the service sets them. */
  protected abstract readonly options_: ResolvedPaymentDeskOptions

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
}
