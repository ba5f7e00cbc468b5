import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { RefundStatus } from "../../../modules/payment-desk/models/refund-request"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export type LoadRefundRequestStepInput = {
  refund_request_id: string
  /** Refuse unless the row is in one of these statuses. */
  expect_status?: RefundStatus[]
  /** What the caller wants to do, for the refusal message. */
  action?: string
}

export const loadRefundRequestStepId = "load-refund-request"

/** Reads a ledger row (404 when unknown), optionally insisting on its status. */
export const loadRefundRequestStep = createStep(
  loadRefundRequestStepId,
  async (input: LoadRefundRequestStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const [row] = await desk.listRefundRequests({ id: input.refund_request_id })
    if (!row) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `Refund request with id: ${input.refund_request_id} was not found`
      )
    }
    if (input.expect_status && !input.expect_status.includes(row.status)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Refund ${row.id} is ${row.status}: only a ${input.expect_status.join(" or ")} refund can be ${input.action ?? "changed"}`
      )
    }
    return new StepResponse(row)
  }
)
