import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { settleRefundWorkflow } from "../settle-refund"
import type { ProviderRefundStatus } from "./apply-refund-status"

/** The refund fields of a Stripe event this plugin reads. */
export type StripeRefundLike = {
  id: string
  status?: string | null
  failure_reason?: string | null
  metadata?: Record<string, string> | null
}

export type SettleStripeRefundsStepInput = { event_id: string; refunds: StripeRefundLike[] }

export const settleStripeRefundsStepId = "settle-stripe-refunds"

/** Settles the ledger rows of the refunds a Stripe event reports (each under its payment's lock). */
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
      const { result } = await settleRefundWorkflow(container).run({
        input: {
          refund_request_id: row.id,
          provider_status: refund.status as ProviderRefundStatus,
          provider_refund_id: refund.id,
          failure_reason: refund.failure_reason ?? null,
          source: "webhook",
        },
      })
      settled.push({ refund_request_id: row.id, status: result.refund_request.status, changed: result.changed })
    }
    return new StepResponse(settled)
  }
)
