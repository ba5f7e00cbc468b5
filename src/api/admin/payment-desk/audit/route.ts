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
  const byKeyset = after !== undefined || before !== undefined || page === "last"
  const [listed, { count, estimated }] = await Promise.all([
    byKeyset
      ? desk.listAuditEntriesByKeyset(filter, { after, before, last: page === "last" }, limit)
      : desk.listAuditEntries(where, { skip: offset, take: limit, order: { created_at: "DESC", id: "DESC" } }).then(async (rows) => {
          const ends = [rows[0]?.id, rows[rows.length - 1]?.id].filter((id): id is string => !!id)
          const cursors = await desk.auditCursorsOf(ends)
          return {
            rows,
            cursors: { first: cursors.get(rows[0]?.id) ?? null, last: cursors.get(rows[rows.length - 1]?.id) ?? null },
          }
        }),
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
