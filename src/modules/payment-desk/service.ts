import { InjectManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { PaymentDeskOptions, ResolvedPaymentDeskOptions, resolvePaymentDeskOptions } from "./options"
import { ReceiptData } from "./receipts"
import { countUpTo, type CountedModel, type ListCount } from "./list-counts"

// The types and helpers callers import from the service, from the files that hold them.
export { auditListFilters } from "./audit-trail"
export type { AuditCursor, AuditExportRow, AuditFilter } from "./audit-trail"
export { IDEMPOTENCY_LEASE_SECONDS } from "./idempotency"
export type { IdempotencyClaim, IdempotencyOrphan } from "./idempotency"
export type { RefundListFilter, RefundRequestPatch, RefundTransition, RefundTransitionResult } from "./refund-ledger"
export type { KeysetPageCursors, KeysetPosition } from "./keyset-page"
export type { PayoutAccountChange, PayoutExportClaim, PayoutExportResult, StoredPayoutAccount } from "./payout-exports"
export type { BankTransactionInsert, BankTransactionTransition, StoredLine } from "./bank-statements"
export type { ReceiptTransition } from "./receipts"
export { EXACT_COUNT_LIMIT } from "./list-counts"
export type { CountedModel, ListCount } from "./list-counts"

/**
 * The payment desk's data: the append-only audit trail, the Idempotency-Key
 * records, the refund ledger, closures and cancellation requests, bank
 * statement imports, job runs and receipts written before their capture; also holds the plugin's resolved options.
 *
 * Built up by domain, one file each beside this one, each class adding its
 * tables' methods to the one it extends (the order matters only where a
 * layer calls one below it, as a refund transition writes audit entries):
 * service-base.ts (the generated methods of every model) ← audit-trail.ts ←
 * idempotency.ts ← refund-ledger.ts ← payout-exports.ts ← closures.ts ←
 * bank-statements.ts ← job-runs.ts ← receipts.ts ← this class.
 */
class PaymentDeskModuleService extends ReceiptData {
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

  /**
   * How many rows of a desk list `filters` select: exact up to 10,000 (reading
   * at most 10,001), else PostgreSQL's estimate with `estimated: true`, so a
   * list page costs the same in a store of any size (see `countUpTo`).
   */
  @InjectManager()
  async countListRows(
    model: CountedModel,
    filters: Record<string, unknown>,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<ListCount> {
    return countUpTo(sharedContext, model, filters)
  }
}

export default PaymentDeskModuleService
