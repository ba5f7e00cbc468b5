import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import type { AdminListCountersType } from "../validators"

/** Closure counters, filtered by scope (`global`, `customer:<id>`, `sales_channel:<id>`) and name. */
export async function GET(req: MedusaRequest<unknown, AdminListCountersType>, res: MedusaResponse) {
  const { limit, offset, ...filters } = req.validatedQuery as AdminListCountersType
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [rows, count] = await desk.listAndCountCounters(filters, {
    skip: offset,
    take: limit,
    order: { value: "DESC", name: "ASC" },
  })
  res.json({
    counters: rows.map((row) => ({ scope: row.scope, name: row.name, value: row.value, updated_at: row.updated_at })),
    count,
  })
}
