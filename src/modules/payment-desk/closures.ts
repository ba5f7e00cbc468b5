import { generateEntityId, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { CancellationRequestRow, CancellationRequestStatus } from "./models/cancellation-request"
import { PayoutExportData } from "./payout-exports"
import { moveStatus, transactionOf } from "./service-base"

/** Order closures: the counters, each closure's side effects done once, and the customers' cancellation requests. */
export abstract class ClosureData extends PayoutExportData {
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
    if (!(await moveStatus(sharedContext, "payment_desk_cancellation_request", transition))) {
      return null
    }
    return (await this.retrieveCancellationRequest(transition.id, {}, sharedContext)) as unknown as CancellationRequestRow
  }
}
