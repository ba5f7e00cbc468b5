import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { attemptsOf } from "../../../utils/refunds/attempt-log"
import { gatewayFor, GatewayAnswer } from "../../../utils/refunds/gateways"
import { providerKeyFor } from "../../../utils/refunds/transitions"

export type DispatchRefundStepInput = { refund_request_id: string }

/** The attempt that was sent and what the provider answered. */
export type DispatchedRefund = { refund_request_id: string; attempt: number; provider_key: string; answer: GatewayAnswer }

export const dispatchRefundStepId = "dispatch-refund"

/**
 * Records the next attempt on a `pending` row first (attempt number,
 * provider key, dispatch time, next reconciliation time: a compare-and-set
 * from the current attempt, so a second dispatch of the same attempt loses
 * with 409), then calls the provider through the row's gateway. Only
 * `pending` rows are sent; the key is the same as the last attempt's only
 * while that attempt's outcome is unknown.
 */
export const dispatchRefundStep = createStep(
  dispatchRefundStepId,
  async (input: DispatchRefundStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const log = attemptsOf(row.attempt_log)
    const attempt = row.attempts + 1
    const providerKey = providerKeyFor(row.idempotency_key, log)
    const now = new Date()
    const dispatched = await desk.transitionRefundRequest({
      id: row.id,
      from: ["pending"],
      to: "pending",
      attempts: row.attempts,
      patch: {
        attempts: attempt,
        provider_key: providerKey,
        // A new attempt has no provider refund yet; earlier ones stay in the log.
        provider_refund_id: null,
        dispatched_at: now,
        next_attempt_at: new Date(now.getTime() + desk.getOptions().refunds.reconcileAfterMinutes * 60_000),
        attempt_log: {
          attempts: [...log, { attempt, provider_key: providerKey, outcome: "unknown", at: now.toISOString() }],
        },
      },
    })
    if (!dispatched) {
      const current = await desk.retrieveRefundRequest(row.id)
      throw new MedusaError(MedusaError.Types.CONFLICT, `Refund ${row.id} is ${current.status} at attempt ${current.attempts}: another run has sent it`)
    }
    const answer = await gatewayFor(dispatched.row.provider_id).send(container, dispatched.row)
    const result: DispatchedRefund = { refund_request_id: row.id, attempt, provider_key: providerKey, answer }
    return new StepResponse(result)
  }
  // No compensation: from the dispatch record on, the money may have left.
  // The row stays, `pending` until its outcome is known; reconciliation asks
  // the provider and settles it once.
)
