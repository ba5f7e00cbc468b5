import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export type ValidateCancellationRequestStepInput = { order_id: string; customer_id: string }

export const validateCancellationRequestStepId = "validate-cancellation-request"

/**
 * Checks, under the order's lock, that the customer may ask to cancel the
 * order: it is theirs (else it looks absent, 404), not closed or canceled
 * (400), and has no open request already (409).
 */
export const validateCancellationRequestStep = createStep(
  validateCancellationRequestStepId,
  async (input: ValidateCancellationRequestStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const [{ data }, closures, open] = await Promise.all([
      query.graph({ entity: "order", fields: ["id", "display_id", "status", "customer_id"], filters: { id: input.order_id } }),
      desk.listOrderClosures({ order_id: input.order_id }),
      desk.listCancellationRequests({ order_id: input.order_id, status: "open" }),
    ])
    const order = data[0]
    if (!order || order.customer_id !== input.customer_id) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${input.order_id} was not found`)
    }
    // Said as the customer says it: the order number, not its id.
    const name = order.display_id !== null && order.display_id !== undefined ? `#${order.display_id}` : order.id
    if (closures.length || order.status === "canceled") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Order ${name} is already closed`)
    }
    if (open.length) {
      throw new MedusaError(MedusaError.Types.CONFLICT, `Order ${name} already has an open cancellation request: wait for the store's answer`)
    }
    return new StepResponse({ order_id: order.id as string, display_id: (order.display_id as number | null) ?? null })
  }
  // No compensation: it only reads.
)
