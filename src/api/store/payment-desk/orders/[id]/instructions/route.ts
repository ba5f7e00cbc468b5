import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { StoreOrderPayment } from "../../../../../../storefront/types"
import { retrieveStoreOrderPayment } from "../../../../../../utils/orders/store-order-payment"

/**
 * How the customer pays an order placed with a manual method and where its
 * payment stands: instructions, amount due, pay-by date, the bank block
 * (reference, account, EPC QR code), the closure, the latest cancellation
 * request and what the customer may do now. Readable without logging in for
 * a guest's order, as Medusa's own `GET /store/orders/:id`; a customer's
 * order only by that customer.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse<StoreOrderPayment>) {
  res.json(await retrieveStoreOrderPayment(req.scope, req.params.id, { customer_id: req.auth_context?.actor_id || null }))
}
