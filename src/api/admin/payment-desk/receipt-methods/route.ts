import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listReceiptMethods } from "../../../../utils/orders/receipt-methods"

/** The methods a payment can be recorded with: the manual methods and the `receipt_methods` option. */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ receipt_methods: await listReceiptMethods(req.scope) })
}
