import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import type { CreateAuditEntryStepInput } from "../../shared/steps/create-audit-entries"

/** Input of {@link recordReceiptAuditStep}: the captured receipt and its audit entry. */
export type RecordReceiptAuditStepInput = {
  receipt_id: string
  entry: CreateAuditEntryStepInput
}

type Compensation = { receipt_id: string; entry_id: string }

export const recordReceiptAuditStepId = "record-receipt-audit"

/**
 * Appends the receipt's `payment_recorded` audit entry and marks the receipt
 * `recorded` with it, in one transaction (one commit, and no moment where
 * the entry stands and the receipt still reads `captured`: a run that died
 * there was finished by the next run under its key with a second entry). A
 * receipt moved meanwhile by another run fails this run with a 409, nothing
 * written. Compensation, for a step after it that fails: the receipt goes
 * back to `captured` and the entry is discarded, together; the receipt row
 * itself goes with the capture's undoing (see writeReceiptStep).
 */
export const recordReceiptAuditStep = createStep(
  recordReceiptAuditStepId,
  async (input: RecordReceiptAuditStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const { entry } = input
    const written = await desk.recordReceiptAuditEntry(input.receipt_id, {
      ...entry,
      received_at: entry.received_at ? new Date(entry.received_at) : null,
    })
    return new StepResponse(written, { receipt_id: input.receipt_id, entry_id: written.id } as Compensation)
  },
  async (compensation: Compensation | undefined, { container }) => {
    if (!compensation) {
      return
    }
    await container
      .resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
      .undoReceiptAuditEntry(compensation.receipt_id, compensation.entry_id)
  }
)
