import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listPayoutExportsView } from "../../../../../../utils/refunds/payout-exports-view"
import type { AdminListPayoutExportsType } from "../../../bank-statements/validators"

/** What the next SEPA export would pay, and the earlier exports (newest first) with what a re-export of each would pay. */
export async function GET(req: AuthenticatedMedusaRequest<unknown, AdminListPayoutExportsType>, res: MedusaResponse) {
  const { limit, offset } = req.validatedQuery as AdminListPayoutExportsType
  res.json(await listPayoutExportsView(req.scope, { limit, offset }))
}
