import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type { RefundStatus } from "../../modules/payment-desk/models/refund-request"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { bookLedgerRefund, reverseMedusaRefund } from "../../utils/medusa-refunds"

/** A provider's verdict on a refund (Stripe refund statuses). */
export type ProviderRefundStatus = "pending" | "requires_action" | "succeeded" | "failed" | "canceled"

export type ApplyRefundStatusStepInput = {
  refund_request_id: string
  provider_status: ProviderRefundStatus
  provider_refund_id?: string | null
  failure_reason?: string | null
  /** Where the verdict came from: `webhook`, `reconciliation`. */
  source: string
}

export const applyRefundStatusStepId = "apply-refund-status"

/**
 * Moves a ledger row to what the provider says: pending → succeeded (booked
 * in Medusa), pending → failed, succeeded → failed (taken back out of
 * Medusa's totals so the order shows the money as not returned). A verdict
 * that changes nothing (a repeated webhook) is a no-op.
 */
export const applyRefundStatusStep = createStep(
  applyRefundStatusStepId,
  async (input: ApplyRefundStatusStepInput, { container }) => new StepResponse(await applyRefundStatus(container, input))
  // No compensation: the provider's verdict is a fact; the row records it.
)

/** The work of `applyRefundStatusStep`, for steps that settle rows themselves (reconciliation). */
export async function applyRefundStatus(container: MedusaContainer, input: ApplyRefundStatusStepInput) {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const target: RefundStatus =
      input.provider_status === "canceled" ? "failed" : (input.provider_status as RefundStatus)
    const unchanged = { refund_request: row, previous_status: row.status as string, changed: false }

    // Only provider-backed states move here; a canceled or paid-out row is final.
    if (row.status === target || !["pending", "requires_action", "succeeded"].includes(row.status)) {
      return unchanged
    }
    if (row.status === "succeeded" && target !== "failed") {
      return unchanged
    }

    let medusaRefundId = row.medusa_refund_id
    if (target === "succeeded" && !medusaRefundId) {
      const booked = await bookLedgerRefund(container, row)
      medusaRefundId = booked.refund_id
    }
    if (target === "failed" && medusaRefundId) {
      await reverseMedusaRefund(container, { order_id: row.order_id, refund_id: medusaRefundId })
      medusaRefundId = null
    }
    const updated = await desk.updateRefundRequests({
      id: row.id,
      status: target,
      provider_refund_id: input.provider_refund_id ?? row.provider_refund_id,
      medusa_refund_id: medusaRefundId,
      last_error:
        target === "failed"
          ? `Stripe reported the refund ${input.provider_status} (${input.source}): ${input.failure_reason ?? "no reason given"}`
          : target === "requires_action"
            ? "The provider needs an action before the refund can complete"
            : null,
      settled_at: target === "succeeded" || target === "failed" ? new Date() : null,
      next_attempt_at: null,
    })
    return { refund_request: updated, previous_status: row.status as string, changed: true }
}
