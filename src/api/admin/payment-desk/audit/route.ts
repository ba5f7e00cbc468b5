import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import type { AdminListAuditType } from "../validators"

/** The audit trail, newest first, filtered by order, action or actor. */
export async function GET(req: MedusaRequest<unknown, AdminListAuditType>, res: MedusaResponse) {
  const { limit, offset, ...filters } = req.validatedQuery as AdminListAuditType
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [auditEntries, count] = await desk.listAndCountAuditEntries(filters, {
    skip: offset,
    take: limit,
    order: { created_at: "DESC", id: "DESC" },
  })
  res.json({ audit_entries: auditEntries, count, limit, offset })
}
