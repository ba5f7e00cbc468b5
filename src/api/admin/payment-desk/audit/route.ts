import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type { AuditEntryRow } from "../../../../modules/payment-desk/models/audit-entry"
import { auditListFilters } from "../../../../modules/payment-desk/service"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import { describeAuditEntries, resolveAuditFilter } from "../../../../utils/audit/audit-view"
import { encodeAuditCursor } from "../../../../utils/audit/audit-cursor"
import type { AdminListAuditType } from "../validators"

/**
 * The audit trail, newest first, filtered by date, action, actor, order,
 * method, source or `q` (order display id or reference); each entry with its
 * `actor_name` and `order_display_id`. `count` is exact up to 10,000, else
 * PostgreSQL's estimate (`count_estimated: true`). Pages by `offset`, or by
 * keyset: `after`/`before` one of the answer's `cursors`, or `page=last`;
 * a keyset page reads only its own rows however deep it is.
 */
export async function GET(req: MedusaRequest<unknown, AdminListAuditType>, res: MedusaResponse) {
  const { limit, offset, after, before, page, ...given } = req.validatedQuery as AdminListAuditType
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const filter = await resolveAuditFilter(req.scope, given)
  const where = auditListFilters(filter)
  const [listed, { count, estimated }] = await Promise.all([
    desk.listAuditPage(filter, { after, before, last: page === "last", offset }, limit),
    desk.countListRows("AuditEntry", where),
  ])
  res.json({
    audit_entries: await describeAuditEntries(req.scope, listed.rows as unknown as AuditEntryRow[]),
    count,
    count_estimated: estimated,
    limit,
    offset,
    // The next page older than this one is `after=cursors.last`, the newer one `before=cursors.first`.
    cursors: { first: encodeAuditCursor(listed.cursors.first), last: encodeAuditCursor(listed.cursors.last) },
  })
}
