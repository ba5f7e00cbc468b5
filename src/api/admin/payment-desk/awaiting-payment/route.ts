import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listAwaitingPayment } from "../../../../utils/orders/awaiting-payment"
import type { AdminListAwaitingPaymentType } from "../validators"

/**
 * Orders waiting for a manual payment, overdue first: the cashier's
 * worklist. `count` is exact up to 10,000, else PostgreSQL's estimate
 * (`count_estimated: true`). Pages by `offset`, or (sorted by pay-by date or
 * order number) by keyset: `after`/`before` one of the answer's `cursors`,
 * or `page=last`.
 */
export async function GET(req: MedusaRequest<unknown, AdminListAwaitingPaymentType>, res: MedusaResponse) {
  const { after, before, page, ...filters } = req.validatedQuery as AdminListAwaitingPaymentType
  const { orders, count, count_estimated, cursors } = await listAwaitingPayment(req.scope, {
    ...filters,
    after,
    before,
    last: page === "last",
  })
  // The next page is `after=cursors.last`, the one before it `before=cursors.first`.
  res.json({ orders, count, count_estimated, limit: filters.limit, offset: filters.offset, cursors })
}
