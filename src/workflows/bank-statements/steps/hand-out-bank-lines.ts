import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Logger } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { STALE_BOOKING_MINUTES } from "../../../utils/bank-statements/booking-batches"
import type { Actor } from "../../shared/steps/resolve-actor"
import { handOutBankLines, matchedLinesToBook } from "../book-bank-lines-on-workers"

/** Input of {@link handOutBankLinesStep}: an import's lines to book and who books them. */
export type HandOutBankLinesStepInput = {
  bank_transaction_ids: string[]
  actor: Actor
  may_record_payouts: boolean
  ip?: string | null
  user_agent?: string | null
}

/** Id of {@link handOutBankLinesStep}. */
export const handOutBankLinesStepId = "hand-out-bank-lines"

/**
 * Hands an import's lines to book to the workers in batches (an import over
 * `bank_statements.inline_booking_limit`), after its answer is summed up. An
 * event bus that refuses them fails nothing: the lines stay `matched` and
 * the scheduled pickup hands them out. No compensation: an event cannot be
 * taken back, and a batch books only lines still `matched`.
 */
export const handOutBankLinesStep = createStep(handOutBankLinesStepId, async (input: HandOutBankLinesStepInput, { container }) => {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  try {
    const lines = await matchedLinesToBook(desk, input.bank_transaction_ids)
    const batches = await handOutBankLines(container, lines, () => input)
    return new StepResponse({ lines: lines.length, batches })
  } catch (error) {
    logger.warn(
      `medusa-payment-desk: ${input.bank_transaction_ids.length} bank statement lines could not be handed to the workers (${(error as Error).message}); the scheduled pickup hands them out after ${STALE_BOOKING_MINUTES} minutes`
    )
    return new StepResponse({ lines: 0, batches: 0 })
  }
})
