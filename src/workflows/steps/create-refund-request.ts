import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { randomUUID } from "crypto"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import type { ActorType } from "../../modules/payment-desk/models/audit-entry"

export type CreateRefundRequestStepInput = {
  order_id: string
  payment_id: string
  provider_id: string
  amount: number
  currency_code: string
  refund_reason_id?: string | null
  note?: string | null
  notify_customer?: boolean
  requested_by_type: ActorType
  requested_by_id?: string | null
}

export const createRefundRequestStepId = "create-refund-request"

/** Writes the ledger row as `pending`, with the idempotency key every attempt of this refund will use. */
export const createRefundRequestStep = createStep(
  createRefundRequestStepId,
  async (input: CreateRefundRequestStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const requestedAt = new Date()
    const row = await desk.createRefundRequests({
      ...input,
      notify_customer: input.notify_customer ?? false,
      status: "pending",
      idempotency_key: `payment-desk-refund-${randomUUID()}`,
      requested_at: requestedAt,
      // Due for reconciliation unless it settles first: even if this process
      // dies right after the provider call, the row is picked up later.
      next_attempt_at: new Date(requestedAt.getTime() + desk.getOptions().refunds.reconcileAfterMinutes * 60_000),
      attempts: 0,
      attempt_log: { attempts: [] },
    })
    return new StepResponse(row, row.id)
  },
  // Cancels the row only while nothing was sent to the provider; a refund the
  // provider may have taken stays in the ledger, visible, to be reconciled.
  async (id: string | undefined, { container }) => {
    if (!id) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(id)
    if (row.status === "pending" && row.attempts === 0) {
      await desk.updateRefundRequests({
        id,
        status: "canceled",
        last_error: "Canceled: the refund workflow failed before the provider was called",
        settled_at: new Date(),
      })
    }
  }
)
