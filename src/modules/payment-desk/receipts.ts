import { InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { ReceiptRow, ReceiptStatus } from "./models/receipt"
import type { AuditEntryRow } from "./models/audit-entry"
import { JobRunData } from "./job-runs"
import { moveStatus } from "./service-base"

/** A receipt's compare-and-set: from one of the expected statuses to another, with the fields that change. */
export type ReceiptTransition = {
  id: string
  from: ReceiptStatus[]
  to: ReceiptStatus
  patch?: Partial<Pick<ReceiptRow, "capture_id" | "audit_entry_id" | "payment_id">>
}

/** Receipts written before their capture: the marker that lets a retry resume a receipt instead of capturing again. */
export abstract class ReceiptData extends JobRunData {
  /** The receipt stored under `key` (a bank line's or a request's), if any. */
  async findReceiptByKey(key: string): Promise<ReceiptRow | null> {
    const [row] = await this.listReceipts({ key }, { take: 1 })
    return (row as unknown as ReceiptRow) ?? null
  }

  /**
   * Moves a receipt from one of the expected statuses to another (one
   * statement); false when it was not in one of them (someone else moved it).
   */
  @InjectTransactionManager()
  async transitionReceipt(transition: ReceiptTransition, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    return moveStatus(sharedContext, "payment_desk_receipt", transition)
  }

  /**
   * Appends a captured receipt's audit entry and marks the receipt
   * `recorded` with it, in one transaction: a run that stops between the two
   * leaves neither, so the next run under the receipt's key (a retry, the
   * reconciliation job) writes the entry once. A receipt that is no longer
   * `captured` (another run moved it) is refused with a 409 and nothing is
   * written. Returns the entry.
   */
  @InjectTransactionManager()
  async recordReceiptAuditEntry(
    receiptId: string,
    entry: Record<string, unknown>,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<AuditEntryRow> {
    const [written] = await this.appendAuditEntries([entry], sharedContext)
    if (!written) {
      throw new MedusaError(MedusaError.Types.CONFLICT, `The audit entry of receipt ${receiptId} was written already; nothing more was written`)
    }
    const moved = await moveStatus(sharedContext, "payment_desk_receipt", {
      id: receiptId,
      from: ["captured"],
      to: "recorded",
      patch: { audit_entry_id: written.id },
    })
    if (!moved) {
      throw new MedusaError(MedusaError.Types.CONFLICT, `Receipt ${receiptId} was moved by another run; nothing more was written`)
    }
    return written
  }

  /**
   * Undoes {@link recordReceiptAuditEntry} for a run that failed after it, in
   * one transaction: the receipt goes back to `captured` (so the capture it
   * names is finished by the next run, never captured again) and the entry is
   * discarded.
   */
  @InjectTransactionManager()
  async undoReceiptAuditEntry(receiptId: string, entryId: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    await moveStatus(sharedContext, "payment_desk_receipt", {
      id: receiptId,
      from: ["recorded"],
      to: "captured",
      patch: { audit_entry_id: null },
    })
    await this.discardAuditEntriesOfFailedRun([entryId], sharedContext)
  }
}
