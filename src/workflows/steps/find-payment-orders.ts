import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

export type FindPaymentOrdersStepInput = { payment_id?: string | null; order_id?: string | null }

export const findPaymentOrdersStepId = "find-payment-orders"

/**
 * The order a payment belongs to (through its payment collection), or the
 * order given; null for a payment of no order (a cart's, before completion).
 */
export const findPaymentOrdersStep = createStep(
  findPaymentOrdersStepId,
  async (input: FindPaymentOrdersStepInput, { container }) => {
    if (input.order_id) {
      return new StepResponse({ order_id: input.order_id as string | null })
    }
    if (!input.payment_id) {
      return new StepResponse({ order_id: null as string | null })
    }
    const [payment] = await container
      .resolve(Modules.PAYMENT)
      .listPayments({ id: input.payment_id }, { select: ["id", "payment_collection_id"] })
    if (!payment) {
      return new StepResponse({ order_id: null as string | null })
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order_payment_collection",
      fields: ["order_id"],
      filters: { payment_collection_id: payment.payment_collection_id },
    })
    return new StepResponse({ order_id: ((data[0] as { order_id?: string } | undefined)?.order_id ?? null) as string | null })
  }
  // No compensation: it only reads.
)
