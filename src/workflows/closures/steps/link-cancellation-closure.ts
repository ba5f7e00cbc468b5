import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { CancellationRequestRow } from "../../../modules/payment-desk/models/cancellation-request"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export const linkCancellationClosureStepId = "link-cancellation-closure"

/** Records on an approved request the closure its approval made. */
export const linkCancellationClosureStep = createStep(
  linkCancellationClosureStepId,
  async (input: { id: string; order_closure_id: string }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = (await desk.updateCancellationRequests({ id: input.id, order_closure_id: input.order_closure_id })) as unknown as CancellationRequestRow
    return new StepResponse(row)
  }
  // No compensation: it is the approval's last write, after the order was closed.
)
