import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../../modules/payment-desk/service"

/** The names of the configured CSV profiles (`bank_statements.csv_profiles`), for the upload form's profile choice. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  res.json({ csv_profiles: Object.keys(desk.getOptions().bank_statements.csv_profiles).sort() })
}
