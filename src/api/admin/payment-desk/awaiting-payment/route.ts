import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listAwaitingPayment } from "../../../../utils/orders/awaiting-payment"
import type { AdminListAwaitingPaymentType } from "../validators"

/** Orders waiting for a manual payment, overdue first: the cashier's worklist. */
export async function GET(req: MedusaRequest<unknown, AdminListAwaitingPaymentType>, res: MedusaResponse) {
  const filters = req.validatedQuery as AdminListAwaitingPaymentType
  const { orders, count } = await listAwaitingPayment(req.scope, filters)
  res.json({ orders, count, limit: filters.limit, offset: filters.offset })
}
