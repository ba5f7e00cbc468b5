import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { randomUUID } from "crypto"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import type { ActorType } from "../../../modules/payment-desk/models/audit-entry"

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
  /** The caller's scoped Idempotency-Key: the row is bound to it. */
  request_key?: string | null
  /** Stored with the row (e.g. `{ for_closure: true }` for the refunds of a close). */
  metadata?: Record<string, unknown> | null
}

export const createRefundRequestStepId = "create-refund-request"

/** Writes the ledger row as `pending` (not yet dispatched), with the base of every provider key of this refund. */
export const createRefundRequestStep = createStep(
  createRefundRequestStepId,
  async (input: CreateRefundRequestStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    if (input.request_key) {
      const [bound] = await desk.listRefundRequests({ request_key: input.request_key }, { select: ["id", "status"] })
      if (bound) {
        throw new MedusaError(MedusaError.Types.CONFLICT, `Refund ${bound.id} (${bound.status}) was already made with this Idempotency-Key`)
      }
    }
    const requestedAt = new Date()
    const row = await desk.createRefundRequests({
      ...input,
      request_key: input.request_key ?? null,
      notify_customer: input.notify_customer ?? false,
      status: "pending",
      idempotency_key: `payment-desk-refund-${randomUUID()}`,
      requested_at: requestedAt,
      // Due for reconciliation unless it settles first (a run that dies
      // before the dispatch leaves a row reconciliation cancels).
      next_attempt_at: new Date(requestedAt.getTime() + desk.getOptions().refunds.reconcileAfterMinutes * 60_000),
      attempts: 0,
      attempt_log: { attempts: [] },
    })
    return new StepResponse(row, row.id)
  },
  // Cancels the row only while it was never dispatched (a compare-and-set on
  // attempt 0): once the dispatch is recorded, no failure can cancel it.
  async (id: string | undefined, { container }) => {
    if (!id) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.transitionRefundRequest({
      id,
      from: ["pending"],
      to: "canceled",
      attempts: 0,
      patch: { last_error: "Canceled: the refund workflow failed before the provider was called", settled_at: new Date(), next_attempt_at: null },
    })
  }
)
