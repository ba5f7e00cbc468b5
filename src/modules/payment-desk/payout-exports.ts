import { InjectTransactionManager, MathBN, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { AuditEntryInput } from "./models/audit-entry"
import type { PayoutExportRow } from "./models/payout-export"
import { RefundLedgerData } from "./refund-ledger"
import { transactionOf } from "./service-base"

/** A payee account as kept on a refund (`metadata.payout_account`). */
export type StoredPayoutAccount = { name: string; iban: string; bic?: string | null }

/** What an export claims: the new export's id and file, and each refund with the payee the file was planned with. */
export type PayoutExportClaim = {
  id: string
  message_id: string
  /** The export this one repeats (its refunds must still be held by it), or null for a normal export. */
  re_export_of: string | null
  execution_date: string
  currency_code: string
  actor: { type: "user" | "customer" | "system"; id: string | null; email: string | null }
  ip?: string | null
  user_agent?: string | null
  payments: {
    refund_request_id: string
    /** The refund's `metadata.payout_account` as the plan read it: compared again under the row lock. */
    payout_account: StoredPayoutAccount | null
    /** The transfer as written into the file (`amount` a decimal string). */
    payment: Record<string, unknown> & { amount: string }
  }[]
}

/** A claim that took place: the export row and the refunds it holds (those another export took first are left out). */
export type PayoutExportResult = { payout_export: PayoutExportRow; refund_request_ids: string[] }

/** A guarded change of a refund's payee: only while it awaits payout, is in no export, and still has the account read. */
export type PayoutAccountChange = {
  id: string
  expected: StoredPayoutAccount | null
  payout_account: StoredPayoutAccount
  audit: AuditEntryInput
}

/** SEPA payout exports: each refund goes into one export only, and a re-export is explicit. */
export abstract class PayoutExportData extends RefundLedgerData {
  /**
   * Records a payout export and marks its refunds exported, in one
   * transaction: the refunds are locked in id order, then moved with a
   * compare-and-set (awaiting payout; in no export, or for a re-export still
   * in the export it repeats; the payee the file was planned with), so of two
   * exports at the same moment each refund lands in exactly one. One audit
   * entry per refund (`refund_payout_exported` or `refund_payout_reexported`)
   * in the same transaction. Null when no refund could be claimed (nothing
   * is written).
   */
  @InjectTransactionManager()
  async claimPayoutExport(
    claim: PayoutExportClaim,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<PayoutExportResult | null> {
    const knex = transactionOf(sharedContext)
    const ids = claim.payments.map((p) => p.refund_request_id)
    if (!ids.length) {
      return null
    }
    await knex("payment_desk_refund_request").select("id").whereIn("id", ids).whereNull("deleted_at").orderBy("id").forUpdate()
    const held = claim.re_export_of ? knex.raw(`r.payout_export_id = ?`, [claim.re_export_of]) : knex.raw(`r.payout_export_id is null`)
    const { rows } = (await knex.raw(
      `update "payment_desk_refund_request" r set "payout_export_id" = ?, "updated_at" = now()
       from jsonb_to_recordset(?::jsonb) as v(id text, account jsonb)
       where r.id = v.id and r.status = 'awaiting_payout' and r.deleted_at is null and ?
         and coalesce(r.metadata -> 'payout_account', 'null'::jsonb) = coalesce(v.account, 'null'::jsonb)
       returning r.id, r.order_id, r.payment_id, r.amount, r.currency_code`,
      [
        claim.id,
        JSON.stringify(claim.payments.map((p) => ({ id: p.refund_request_id, account: p.payout_account }))),
        held,
      ]
    )) as { rows: { id: string; order_id: string; payment_id: string; amount: string; currency_code: string }[] }
    if (!rows.length) {
      return null
    }
    const claimed = new Set(rows.map((row) => row.id))
    const payments = claim.payments.filter((p) => claimed.has(p.refund_request_id))
    const total = payments.reduce((sum, p) => MathBN.add(sum, p.payment.amount), MathBN.convert(0))
    const [created] = (await this.createPayoutExports(
      [
        {
          id: claim.id,
          message_id: claim.message_id,
          re_export_of: claim.re_export_of,
          refund_request_ids: { ids: payments.map((p) => p.refund_request_id) },
          payments: { payments: payments.map((p) => p.payment) },
          payment_count: payments.length,
          total: total.toNumber(),
          currency_code: claim.currency_code,
          execution_date: claim.execution_date,
          exported_by_type: claim.actor.type,
          exported_by_id: claim.actor.id,
        },
      ],
      sharedContext
    )) as unknown as PayoutExportRow[]
    const action = claim.re_export_of ? "refund_payout_reexported" : "refund_payout_exported"
    await this.appendAuditEntries(
      rows.map((row) => ({
        order_id: row.order_id,
        payment_id: row.payment_id,
        action,
        actor_type: claim.actor.type,
        actor_id: claim.actor.id,
        actor_email: claim.actor.email,
        amount: Number(row.amount),
        currency_code: row.currency_code,
        reference: claim.message_id,
        ip: claim.ip ?? null,
        user_agent: claim.user_agent ?? null,
        dedupe_key: `${row.id}:${action}:${claim.id}`,
        metadata: {
          refund_request_id: row.id,
          payout_export_id: claim.id,
          message_id: claim.message_id,
          re_export_of: claim.re_export_of,
        },
      })),
      sharedContext
    )
    return { payout_export: created, refund_request_ids: payments.map((p) => p.refund_request_id) }
  }

  /**
   * Sets the payee of a refund awaiting payout with a compare-and-set: only
   * while it awaits payout, is in no SEPA export, and still has the account
   * the caller read (`expected`); its audit entry in the same transaction.
   * False when the row was not in that state (the caller explains why).
   */
  @InjectTransactionManager()
  async setRefundPayoutAccount(change: PayoutAccountChange, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    const knex = transactionOf(sharedContext)
    const updated = Number(
      await knex("payment_desk_refund_request")
        .where({ id: change.id, status: "awaiting_payout" })
        .whereNull("payout_export_id")
        .whereNull("deleted_at")
        .andWhereRaw(`coalesce(metadata -> 'payout_account', 'null'::jsonb) = ?::jsonb`, [JSON.stringify(change.expected)])
        .update({
          metadata: knex.raw(`coalesce(metadata, '{}'::jsonb) || jsonb_build_object('payout_account', ?::jsonb)`, [
            JSON.stringify(change.payout_account),
          ]),
          updated_at: new Date(),
        })
    )
    if (updated !== 1) {
      return false
    }
    await this.appendAuditEntries([change.audit as unknown as Record<string, unknown>], sharedContext)
    return true
  }
}
