import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { BankTransactionRow, BankTransactionStatus } from "../../../modules/payment-desk/models/bank-transaction"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { bankReceiptKey, findBankReceipt } from "../utils/bank-receipt"

/** Input of {@link claimBankTransactionStep}. */
export type ClaimBankTransactionStepInput = {
  bank_transaction_id: string
  /** Statuses the line may be claimed from: `matched` when the import records it, `review` when a person confirms it. */
  from: BankTransactionStatus[]
  /** The order a person picked; the line's own match otherwise. */
  order_id?: string | null
  /** A person's decision, kept on the line (who, when, note). */
  decision?: { actor_id: string | null; actor_email: string | null; note: string | null } | null
}

/** The claimed line, and whether an earlier run recorded it already (its receipt audit entry). */
export type ClaimedBankTransaction = { line: BankTransactionRow; recorded_audit_entry_id: string | null }

export const claimBankTransactionStepId = "claim-bank-transaction"

/** The Idempotency-Key a bank line's receipt is recorded under (kept here for plugins that imported it). */
export { bankReceiptKey }

/**
 * Takes a statement line for recording (compare-and-set to `matched`): of two
 * people or imports recording one line at once, one wins and the other gets
 * a 409. A line whose receipt an earlier, interrupted run already booked is
 * handed back with that receipt's audit entry, to be marked recorded only.
 */
export const claimBankTransactionStep = createStep(
  claimBankTransactionStepId,
  async (input: ClaimBankTransactionStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const before = await desk.retrieveBankTransaction(input.bank_transaction_id).catch(() => null)
    if (!before) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Bank transaction with id: ${input.bank_transaction_id} was not found`)
    }
    const orderId = input.order_id ?? before.order_id
    if (!orderId && before.direction === "credit") {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "order_id: the line matches no order, pick the order it pays")
    }
    const patch: Record<string, unknown> = { order_id: orderId }
    if (input.order_id && input.order_id !== before.order_id) {
      patch.match_type = "manual"
    }
    if (input.decision) {
      Object.assign(patch, {
        decided_by_id: input.decision.actor_id,
        decided_by_email: input.decision.actor_email,
        decided_at: new Date(),
        decision_note: input.decision.note,
      })
    }
    const line = await desk.transitionBankTransaction({
      id: before.id,
      from: input.from,
      to: "matched",
      patch,
    })
    if (!line) {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `Bank transaction ${before.id} is ${before.status === "recorded" ? "recorded already" : `no longer open (${before.status})`}; nothing was changed`
      )
    }
    const earlier = orderId ? await findBankReceipt(desk, orderId, before.id) : null
    const claimed: ClaimedBankTransaction = { line, recorded_audit_entry_id: earlier }
    return new StepResponse(claimed, {
      id: before.id,
      status: before.status,
      order_id: before.order_id,
      match_type: before.match_type,
      decided: !!input.decision,
    })
  },
  // The receipt failed: the line goes back where it was, open for another try.
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const back = previous.status === "matched" ? "review" : previous.status
    await desk.transitionBankTransaction({
      id: previous.id,
      from: ["matched"],
      to: back,
      patch: {
        order_id: previous.order_id,
        match_type: previous.match_type,
        ...(previous.decided
          ? { decided_by_id: null, decided_by_email: null, decided_at: null, decision_note: null }
          : {}),
      },
    })
  }
)
