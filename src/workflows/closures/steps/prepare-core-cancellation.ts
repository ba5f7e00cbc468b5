import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { methodFromProviderId } from "../../../providers/manual-payment/options"
import { primaryPayment } from "../../../utils/orders/order-payment-summary"
import { readOrderPayments } from "../../../utils/orders/read-order-payments"
import type { CreateOrderClosureStepInput } from "./create-order-closure"

export const prepareCoreCancellationStepId = "prepare-core-cancellation"

/**
 * The order, and (`closed_as`) who closed it and why when the cancel was the
 * plugin's own close, interrupted before it recorded its closure (a worker
 * killed mid-batch): the auto-close job's system actor and `payment_timeout`.
 */
export type PrepareCoreCancellationInput = {
  order_id: string
  closed_as?: { actor_id: string; reason: "payment_timeout" } | null
}

/**
 * For an order canceled through Medusa's own "Cancel order": the closure to
 * record (actor = the admin who made the cancel's refunds), or null when the
 * order is already closed (this plugin's close also runs Medusa's cancel).
 * With `closed_as`, the closure of the plugin's own close that canceled the
 * order and stopped before recording it.
 */
export const prepareCoreCancellationStep = createStep(
  prepareCoreCancellationStepId,
  async (input: PrepareCoreCancellationInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    if ((await desk.listOrderClosures({ order_id: input.order_id })).length) {
      return new StepResponse(null)
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const [state, { data }] = await Promise.all([
      readOrderPayments(container, input.order_id),
      query.graph({ entity: "order", fields: ["id", "status", "customer_id", "sales_channel_id"], filters: { id: input.order_id } }),
    ])
    if (data[0]?.status !== "canceled") {
      return new StepResponse(null)
    }
    const payments = state.payment_collections.flatMap((c) => c.payments)
    const paymentModule = container.resolve(Modules.PAYMENT)
    const refunds = payments.length
      ? await paymentModule.listRefunds({ payment_id: payments.map((p) => p.id) }, { select: ["id", "amount", "created_by"] })
      : []
    const payment = primaryPayment(state)
    const closure: CreateOrderClosureStepInput = {
      order_id: input.order_id,
      actor_type: input.closed_as ? "system" : "user",
      actor_id: input.closed_as ? input.closed_as.actor_id : (refunds.find((r) => r.created_by)?.created_by ?? null),
      reason: input.closed_as?.reason ?? "other",
      // Said from the closure's source (`core_cancel`) in each reader's language.
      note: null,
      notify_customer: true,
      refund_request_ids: [],
      refunded_amount: refunds.reduce((sum, r) => MathBN.add(sum, r.amount), MathBN.convert(0)).toNumber(),
      currency_code: state.currency_code,
      payment_method: payment ? methodFromProviderId(payment.provider_id) ?? payment.provider_id : null,
      customer_id: data[0].customer_id ?? null,
      sales_channel_id: data[0].sales_channel_id ?? null,
      ip: null,
      user_agent: null,
      source: input.closed_as ? "payment_desk" : "core_cancel",
    }
    return new StepResponse(closure)
  }
)
