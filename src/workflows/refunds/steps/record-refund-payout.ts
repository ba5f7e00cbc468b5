import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { eventsOfWrittenFacts, refundOutcome, RefundContext } from "../../../utils/refunds/outcome"
import { payoutReturnsOf } from "./reopen-refund-payout"
import type { SystemNote } from "../../../utils/notes/system-notes"

export type RecordRefundPayoutStepInput = {
  refund_request_id: string
  reference: string
  paid_at?: Date | string | null
  note?: string | null
  /** The plugin's own note on the payout (e.g. the bank statement line that shows it). */
  system_note?: SystemNote | null
  context: RefundContext
}

export const recordRefundPayoutStepId = "record-refund-payout"

/**
 * Marks a manual refund `awaiting_payout` → `succeeded` once the merchant
 * paid it out, with a compare-and-set: of several concurrent payouts one
 * wins; the others change nothing and are refused naming the row's status.
 * The payout's audit facts are written in the same transaction.
 */
export const recordRefundPayoutStep = createStep(
  recordRefundPayoutStepId,
  async (input: RecordRefundPayoutStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const paidAt = input.paid_at ? new Date(input.paid_at) : new Date()
    if (paidAt.getTime() > Date.now() + 60_000) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "paid_at: cannot be in the future")
    }
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const patch = { payout_reference: input.reference, settled_at: paidAt, next_attempt_at: null }
    const outcome = refundOutcome({ ...row, ...patch, status: "succeeded" }, "awaiting_payout", input.context)
    const payout = {
      ...outcome.audit[0],
      action: "refund_payout_recorded",
      reference: input.reference,
      received_at: paidAt,
      note: input.note ?? null,
      metadata: input.system_note ? { ...outcome.audit[0].metadata, system_note: input.system_note } : outcome.audit[0].metadata,
      // A payout after a returned one is a fact of its own.
      dedupe_key: payoutReturnsOf(row) ? `${row.id}:payout:${payoutReturnsOf(row)}` : `${row.id}:payout`,
    }
    const updated = await desk.transitionRefundRequest({
      id: input.refund_request_id,
      from: ["awaiting_payout"],
      to: "succeeded",
      patch,
      audit: [payout, ...outcome.audit],
    })
    if (!updated) {
      const row = await desk.retrieveRefundRequest(input.refund_request_id)
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Refund ${row.id} is ${row.status}: only a refund awaiting a manual payout can have its payout recorded`
      )
    }
    return new StepResponse({ refund_request: updated.row, events: eventsOfWrittenFacts(outcome, updated.written_facts) })
  }
  // No compensation: the merchant says the money went out; its audit facts
  // went with it, and the event follows the first recording of its fact.
)
