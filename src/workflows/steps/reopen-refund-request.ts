import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

export const reopenRefundRequestStepId = "reopen-refund-request"

/** Puts a failed refund back to `pending` before its next attempt. */
export const reopenRefundRequestStep = createStep(
  reopenRefundRequestStepId,
  async (input: { refund_request_id: string }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const updated = await desk.updateRefundRequests({ id: row.id, status: "pending", settled_at: null })
    return new StepResponse(updated, { id: row.id, status: row.status, settled_at: row.settled_at, attempts: row.attempts })
  },
  async (
    previous: { id: string; status: string; settled_at: Date | null; attempts: number } | undefined,
    { container }
  ) => {
    if (!previous) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(previous.id)
    // Only while the provider was not called again in this run.
    if (row.attempts === previous.attempts) {
      await desk.updateRefundRequests({
        id: previous.id,
        status: previous.status as "failed" | "pending",
        settled_at: previous.settled_at,
      })
    }
  }
)
