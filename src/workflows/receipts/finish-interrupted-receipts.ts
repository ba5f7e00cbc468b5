import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type { ReceiptRow } from "../../modules/payment-desk/models/receipt"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { findReceiptCapture } from "../../utils/orders/receipt-capture"
import type { Actor } from "../shared/steps/resolve-actor"
import { recordPaymentWorkflow } from "./record-payment"

/** What one pass over interrupted receipts did. */
export type FinishReceiptsReport = {
  /** Receipts whose capture stood: their order transaction and audit entry were written. */
  receipts_finished: number
  /** Receipts whose run stopped before capturing: nothing moved, nothing is booked. */
  receipts_abandoned: number
  receipts_failed: number
}

const BATCH = 100

/**
 * Finishes receipts whose run died between writing the receipt and its audit
 * entry, and that nobody retried under their key within the order lock's
 * ttl: a receipt whose capture stands is finished forward through
 * `recordPaymentWorkflow` under its key (under the order's lock, the capture
 * kept, its books and audit entry written, the event emitted); one that
 * never captured is marked `abandoned` (nothing moved). One failure is
 * logged and the batch goes on.
 */
export async function finishInterruptedReceipts(
  container: MedusaContainer,
  logger: Logger,
  now: Date = new Date()
): Promise<FinishReceiptsReport> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const ttl = desk.getOptions().order_lock.ttl_seconds
  const stuck = (await desk.listReceipts(
    { status: ["capturing", "captured"], created_at: { $lt: new Date(now.getTime() - ttl * 1000) } },
    { take: BATCH, order: { created_at: "ASC" } }
  )) as unknown as ReceiptRow[]
  const report: FinishReceiptsReport = { receipts_finished: 0, receipts_abandoned: 0, receipts_failed: 0 }
  for (const receipt of stuck) {
    try {
      if (!(await findReceiptCapture(container, receipt, ttl))) {
        if (await desk.transitionReceipt({ id: receipt.id, from: ["capturing"], to: "abandoned" })) {
          report.receipts_abandoned++
        }
        continue
      }
      const request = receipt.request as Record<string, unknown>
      await recordPaymentWorkflow(container).run({
        input: {
          order_id: receipt.order_id,
          amount: Number(receipt.amount),
          method: request.method as string,
          reference: (request.reference as string | null) ?? null,
          received_at: request.received_at as string,
          note: (request.note as string | null) ?? null,
          actor: request.actor as Actor,
          ip: (request.ip as string | null) ?? null,
          user_agent: (request.user_agent as string | null) ?? null,
          idempotency_key: (request.idempotency_key as string | null) ?? null,
          source_key: (request.source_key as string | null) ?? null,
          request_key: receipt.key,
          metadata: (request.metadata as Record<string, unknown> | null) ?? null,
        },
      })
      report.receipts_finished++
    } catch (error) {
      report.receipts_failed++
      logger.error(`Finishing receipt ${receipt.id} of order ${receipt.order_id} failed: ${(error as Error).message}`)
    }
  }
  return report
}
