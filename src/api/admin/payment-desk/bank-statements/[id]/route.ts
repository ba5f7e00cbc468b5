import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../../modules/payment-desk/service"
import { bankStatementViews } from "../../../../utils/bank-transaction-view"

/** One import with what it did. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [row] = await desk.listBankStatements({ id: req.params.id, status: "imported" }, { take: 1 })
  if (!row) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Bank statement with id: ${req.params.id} was not found`)
  }
  const [bankStatement] = await bankStatementViews(req.scope, [row])
  res.json({ bank_statement: bankStatement })
}
