import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { CloseReason } from "../../../modules/payment-desk/models/order-closure"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import type { ActorType } from "../../../modules/payment-desk/models/audit-entry"

export type CreateOrderClosureStepInput = {
  order_id: string
  actor_type: ActorType
  actor_id: string | null
  reason: CloseReason
  note: string | null
  notify_customer: boolean
  refund_request_ids: string[]
  refunded_amount: number
  currency_code: string
  payment_method: string | null
  customer_id: string | null
  sales_channel_id: string | null
  ip: string | null
  user_agent: string | null
  source: "payment_desk" | "core_cancel"
}

export const createOrderClosureStepId = "create-order-closure"

/** Records the closure (one per order: the unique index refuses a second). */
export const createOrderClosureStep = createStep(
  createOrderClosureStepId,
  async (input: CreateOrderClosureStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const closure = await desk.createOrderClosures({
      ...input,
      refund_request_ids: { ids: input.refund_request_ids },
      closed_at: new Date(),
    })
    return new StepResponse(closure, closure.id)
  },
  async (id: string | undefined, { container }) => {
    if (!id) {
      return
    }
    await container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).deleteOrderClosures(id)
  }
)
