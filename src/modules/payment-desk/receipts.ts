import { InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { ReceiptRow, ReceiptStatus } from "./models/receipt"
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
}
