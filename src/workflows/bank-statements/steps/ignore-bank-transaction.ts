import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

/** Input of {@link ignoreBankTransactionStep}. */
export type IgnoreBankTransactionStepInput = {
  bank_transaction_id: string
  note: string
  actor_id: string | null
  actor_email: string | null
}

export const ignoreBankTransactionStepId = "ignore-bank-transaction"

/**
 * Moves a line `review` → `ignored` (compare-and-set, so a line being
 * recorded at the same moment is not ignored as well), keeping who, when and
 * why. Compensation puts it back in review.
 */
export const ignoreBankTransactionStep = createStep(
  ignoreBankTransactionStepId,
  async (input: IgnoreBankTransactionStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const line = await desk.transitionBankTransaction({
      id: input.bank_transaction_id,
      from: ["review"],
      to: "ignored",
      patch: {
        decided_by_id: input.actor_id,
        decided_by_email: input.actor_email,
        decided_at: new Date(),
        decision_note: input.note,
      },
    })
    if (!line) {
      const current = await desk.retrieveBankTransaction(input.bank_transaction_id).catch(() => null)
      if (!current) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Bank transaction with id: ${input.bank_transaction_id} was not found`)
      }
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `Bank transaction ${current.id} is ${current.status}, not waiting for review; nothing was changed`
      )
    }
    return new StepResponse(line, line.id)
  },
  async (id, { container }) => {
    if (!id) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.transitionBankTransaction({
      id,
      from: ["ignored"],
      to: "review",
      patch: { decided_by_id: null, decided_by_email: null, decided_at: null, decision_note: null },
    })
  }
)
