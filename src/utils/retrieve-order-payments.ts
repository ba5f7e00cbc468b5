import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../modules/payment-desk"
import type PaymentDeskModuleService from "../modules/payment-desk/service"
import {
  ORDER_PAYMENT_FIELDS,
  OrderPaymentSummary,
  OrderWithPayments,
  summarizeOrderPayments,
} from "./order-payment-summary"

/**
 * Reads an order with its payments and returns the plugin's summary; 404 when
 * no order matches (a `customer_id` filter makes another customer's order
 * look absent rather than forbidden).
 */
export async function retrieveOrderPaymentSummary(
  scope: MedusaContainer,
  orderId: string,
  filters: { customer_id?: string } = {}
): Promise<OrderPaymentSummary & { customer_id: string | null }> {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ORDER_PAYMENT_FIELDS,
    filters: { id: orderId, ...filters },
  })
  const order = data[0] as OrderWithPayments | undefined
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${orderId} was not found`)
  }
  return { ...summarizeOrderPayments(order), customer_id: order.customer_id ?? null }
}

/** The order summary plus the order's audit trail, newest first: the admin view of an order. */
export async function retrieveAdminOrderPaymentSummary(scope: MedusaContainer, orderId: string) {
  const desk = scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [{ customer_id: _customerId, ...summary }, audit] = await Promise.all([
    retrieveOrderPaymentSummary(scope, orderId),
    desk.listAuditEntries({ order_id: orderId }, { order: { created_at: "DESC", id: "DESC" }, take: 200 }),
  ])
  return { ...summary, audit }
}
