import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { outcomeOfStripeStatus } from "../../../utils/refunds/gateways"
import { settleRefundWorkflow } from "../settle-refund"

/** The refund fields of a Stripe event this plugin reads. */
export type StripeRefundLike = {
  id: string
  status?: string | null
  amount?: number | null
  failure_reason?: string | null
  metadata?: Record<string, string> | null
}

export type SettleStripeRefundsStepInput = { event_id: string; type: string; refunds: StripeRefundLike[] }

export const settleStripeRefundsStepId = "settle-stripe-refunds"

/**
 * Settles the ledger rows of the refunds a Stripe event reports, each under
 * its order's lock; whether a refund is the row's current attempt is
 * decided there (a late event about an earlier attempt changes nothing). The event is marked handled in
 * the same transaction as the row it changes.
 */
export const settleStripeRefundsStep = createStep(
  settleStripeRefundsStepId,
  async (input: SettleStripeRefundsStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const settled: { refund_request_id: string; status: string; changed: boolean }[] = []
    for (const refund of input.refunds) {
      const byMetadata = refund.metadata?.refund_request_id
      const [row] = byMetadata
        ? await desk.listRefundRequests({ id: byMetadata })
        : await desk.listRefundRequests({ provider_refund_id: refund.id })
      if (!row || !refund.status) {
        logger.info(`Stripe event ${input.event_id}: refund ${refund.id} is not in the payment desk ledger`)
        continue
      }
      const attempt = refund.metadata?.attempt
      const outcome = outcomeOfStripeStatus(refund.status)
      const { result } = await settleRefundWorkflow(container).run({
        input: {
          refund_request_id: row.id,
          answer: {
            outcome,
            // Checked under the order's lock: a verdict about an earlier attempt changes nothing.
            attempt: attempt !== undefined ? Number(attempt) : null,
            provider_refund_id: refund.id,
            message:
              outcome === "failed"
                ? `Stripe reported the refund ${refund.status} (webhook): ${refund.failure_reason ?? "no reason given"}`
                : outcome === "requires_action"
                  ? "Stripe needs an action before the refund can complete"
                  : null,
            response: { id: refund.id, status: refund.status, failure_reason: refund.failure_reason ?? null },
          },
          source: "webhook",
          webhook_event: { provider: "stripe", event_id: input.event_id, type: input.type },
        },
      })
      settled.push({ refund_request_id: row.id, status: result.refund_request.status, changed: result.changed })
    }
    return new StepResponse(settled)
  }
  // No compensation: each settlement is final and was marked with the event.
)
