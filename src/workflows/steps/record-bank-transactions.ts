import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Logger } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { recordBankTransactionWorkflow } from "../record-bank-transaction"
import type { Actor } from "./resolve-actor"

/** Input of {@link recordBankTransactionsStep}: the lines to book, in file order. */
export type RecordBankTransactionsStepInput = {
  bank_transaction_ids: string[]
  actor: Actor
  ip?: string | null
  user_agent?: string | null
}

export const recordBankTransactionsStepId = "record-bank-transactions"

/** Orders booked at the same time; each still takes its own order's lock. */
const CONCURRENCY = 4

/**
 * Books every matched line through `recordBankTransactionWorkflow`, a few
 * orders at a time. A line that cannot be booked (the order changed since it
 * was matched, its lock is busy) goes to review with the reason; the others
 * go on. No compensation: each booked line is money recorded, which only
 * goes forward; a line left `matched` by a crash is booked by the next
 * import of a file that holds it.
 */
export const recordBankTransactionsStep = createStep(
  recordBankTransactionsStepId,
  async (input: RecordBankTransactionsStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    const recorded: string[] = []
    const failed: { id: string; error: string }[] = []
    let next = 0
    const worker = async () => {
      while (next < input.bank_transaction_ids.length) {
        const id = input.bank_transaction_ids[next++]
        try {
          await recordBankTransactionWorkflow(container).run({
            input: { bank_transaction_id: id, from: ["matched"], actor: input.actor, ip: input.ip, user_agent: input.user_agent },
          })
          recorded.push(id)
        } catch (error) {
          const message = (error as Error).message
          failed.push({ id, error: message })
          logger.warn(`medusa-payment-desk: bank transaction ${id} was not recorded: ${message}`)
          await desk.transitionBankTransaction({
            id,
            from: ["matched", "review"],
            to: "review",
            patch: { review_reason: `Not recorded automatically: ${message}` },
          })
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, input.bank_transaction_ids.length) }, worker))
    return new StepResponse({ recorded, failed })
  }
)
