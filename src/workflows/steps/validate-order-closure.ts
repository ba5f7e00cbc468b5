import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { primaryPayment } from "../../utils/order-payment-summary"
import { methodFromProviderId } from "../../providers/manual-payment/options"
import { readOrderPayments } from "../../utils/read-order-payments"
import type { Actor } from "./resolve-actor"

export type ValidateOrderClosureStepInput = { order_id: string; actor: Actor }

export const validateOrderClosureStepId = "validate-order-closure"

/**
 * Checks that the order can be closed: it exists (and, for a customer, is
 * theirs), is not canceled or closed, has no fulfillment that is not
 * canceled, and has no refund still unsettled (which Medusa's cancel would
 * otherwise refund a second time).
 */
export const validateOrderClosureStep = createStep(
  validateOrderClosureStepId,
  async (input: ValidateOrderClosureStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const [{ data }, closures, unsettled, payments] = await Promise.all([
      query.graph({
        entity: "order",
        fields: ["id", "display_id", "status", "email", "customer_id", "sales_channel_id", "currency_code", "fulfillments.id", "fulfillments.canceled_at"],
        filters: { id: input.order_id },
      }),
      desk.listOrderClosures({ order_id: input.order_id }),
      desk.listRefundRequests({ order_id: input.order_id, status: ["pending", "requires_action", "failed"] }),
      readOrderPayments(container, input.order_id).catch(() => null),
    ])
    const order = data[0]
    if (!order || (input.actor.type === "customer" && order.customer_id !== input.actor.id)) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${input.order_id} was not found`)
    }
    if (closures.length) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Order ${order.id} is already closed`)
    }
    if (order.status === "canceled") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Order ${order.id} is already canceled`)
    }
    const fulfilled = (order.fulfillments ?? []).filter((f: { canceled_at: Date | null } | null) => f && !f.canceled_at)
    if (fulfilled.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${order.id} has ${fulfilled.length} fulfillment(s) that are not canceled: cancel them before closing the order`
      )
    }
    if (unsettled.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${order.id} has refunds that have not settled (${unsettled
          .map((row) => `${row.id}: ${row.status}`)
          .join(", ")}): close it once they have`
      )
    }
    const payment = payments ? primaryPayment(payments) : null
    return new StepResponse({
      order_id: order.id as string,
      display_id: (order.display_id as number | null) ?? null,
      email: (order.email as string | null) ?? null,
      customer_id: (order.customer_id as string | null) ?? null,
      sales_channel_id: (order.sales_channel_id as string | null) ?? null,
      currency_code: order.currency_code as string,
      payment_method: payment ? methodFromProviderId(payment.provider_id) ?? payment.provider_id : null,
      // Only payments with money captured can have something to refund.
      payment_ids: (payments?.payment_collections ?? [])
        .flatMap((collection) => collection.payments)
        .filter((p) => !p.canceled_at && p.captures.length > 0)
        .map((p) => p.id),
    })
  }
)
