import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import type { GatewayAnswer } from "../../../utils/refunds/gateways"
import { isStaleAnswer, nextState, ProviderOutcome } from "../../../utils/refunds/transitions"

/**
 * What applying a provider's verdict to a row takes: a reversal of Medusa's
 * books, a booking, or neither; `stale` when the verdict is about an earlier
 * attempt than the row's current one (it changes nothing).
 */
export type RefundVerdictPlan = { stale: boolean; reverse: boolean; book_outcome: ProviderOutcome | "none" }

export const planRefundVerdictStepId = "plan-refund-verdict"

/**
 * Decides, from the row as it is under the lock and the ledger's transition
 * rules, whether the verdict is about the row's current attempt at all, and
 * whether a verdict books the refund in Medusa (a success the row
 * may still take) or takes it back out (a late failure of a success); a
 * verdict the rules refuse does neither.
 */
export const planRefundVerdictStep = createStep(
  planRefundVerdictStepId,
  async (input: { refund_request_id: string; answer: GatewayAnswer }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const { answer } = input
    const stale = isStaleAnswer(row, answer)
    const target = stale ? null : nextState(row, answer.outcome, { ...desk.getOptions().refunds, now: new Date() })
    const plan: RefundVerdictPlan = {
      stale,
      reverse: !!target && row.status === "succeeded" && target.status === "failed",
      book_outcome:
        target && (answer.outcome === "succeeded" || answer.outcome === "recorded") ? answer.outcome : "none",
    }
    return new StepResponse(plan)
  }
)
