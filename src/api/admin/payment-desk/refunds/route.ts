import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import type { AdminListRefundsType } from "../validators"
import { describeRefundRows } from "../../../../utils/refunds/refund-list-view"
import { encodeRefundCursor } from "../../../../utils/refunds/refund-cursor"

/**
 * The refund ledger across orders, newest first, filtered by status and
 * order; each row with its order number, customer, provider name, reason
 * label and requester (batched lookups per page). `count` is exact up to
 * 10,000, else PostgreSQL's estimate (`count_estimated: true`). Pages by
 * `offset`, or by keyset: `after`/`before` one of the answer's `cursors`, or
 * `page=last`; a keyset page reads only its own rows however deep it is.
 */
export async function GET(req: MedusaRequest<unknown, AdminListRefundsType>, res: MedusaResponse) {
  const { limit, offset, after, before, page, ...filters } = req.validatedQuery as AdminListRefundsType
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [listed, { count, estimated }] = await Promise.all([
    desk.listRefundPage(filters, { after, before, last: page === "last", offset }, limit),
    desk.countListRows("RefundRequest", filters),
  ])
  res.json({
    refund_requests: await describeRefundRows(req.scope, listed.rows),
    count,
    count_estimated: estimated,
    limit,
    offset,
    // The next page older than this one is `after=cursors.last`, the newer one `before=cursors.first`.
    cursors: { first: encodeRefundCursor(listed.cursors.first), last: encodeRefundCursor(listed.cursors.last) },
  })
}
