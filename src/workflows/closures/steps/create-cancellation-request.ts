import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { CloseReason } from "../../../modules/payment-desk/models/order-closure"
import type { CancellationRequestRow } from "../../../modules/payment-desk/models/cancellation-request"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export type CreateCancellationRequestStepInput = {
  order_id: string
  customer_id: string
  reason: CloseReason
  note: string | null
}

export const createCancellationRequestStepId = "create-cancellation-request"

/** Files an open cancellation request; the partial unique index refuses a second open one for the order (409). */
export const createCancellationRequestStep = createStep(
  createCancellationRequestStepId,
  async (input: CreateCancellationRequestStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    let created: CancellationRequestRow
    try {
      created = (await desk.createCancellationRequests({ ...input, status: "open" })) as unknown as CancellationRequestRow
    } catch (error) {
      const [open] = await desk.listCancellationRequests({ order_id: input.order_id, status: "open" })
      if (open) {
        throw new MedusaError(
          MedusaError.Types.CONFLICT,
          "This order already has an open cancellation request: wait for the store's answer"
        )
      }
      throw error
    }
    return new StepResponse(created, created.id)
  },
  async (id: string | undefined, { container }) => {
    if (!id) {
      return
    }
    await container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).deleteCancellationRequests(id)
  }
)
