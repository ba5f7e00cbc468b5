import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import { closureSeries, topClosingCustomers } from "../../../../utils/closures/closure-series"
import type { AdminListCountersType } from "../validators"

/**
 * Closure counters, filtered by scope (`global`, `customer:<id>`,
 * `sales_channel:<id>`) and name; with a daily `series` over `days` and the
 * customers who closed the most of their own orders (`top_customers`).
 */
export async function GET(req: MedusaRequest<unknown, AdminListCountersType>, res: MedusaResponse) {
  const { limit, offset, days, ...filters } = req.validatedQuery as AdminListCountersType
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [[rows, count], series, topCustomers] = await Promise.all([
    desk.listAndCountCounters(filters, {
      skip: offset,
      take: limit,
      order: { value: "DESC", name: "ASC" },
    }),
    closureSeries(req.scope, days),
    topClosingCustomers(req.scope),
  ])
  res.json({
    counters: rows.map((row) => ({ scope: row.scope, name: row.name, value: row.value, updated_at: row.updated_at })),
    count,
    series,
    top_customers: topCustomers,
  })
}
