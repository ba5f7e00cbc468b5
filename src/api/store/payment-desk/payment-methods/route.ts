import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { StoreListPaymentMethodsType } from "../../../admin/payment-desk/validators"
import type { StorePaymentDeskMethodsResponse } from "../../../../storefront/types"
import { listStorePaymentMethods } from "../../../../utils/settings/store-payment-methods"

/**
 * `?region_id=`: the plugin's manual payment methods the region offers, with
 * the names and kinds a checkout shows (Medusa's own
 * `GET /store/payment-providers` gives their ids only).
 */
export async function GET(
  req: MedusaRequest<unknown, StoreListPaymentMethodsType>,
  res: MedusaResponse<StorePaymentDeskMethodsResponse>
) {
  res.json({ payment_methods: await listStorePaymentMethods(req.scope, req.validatedQuery.region_id) })
}
