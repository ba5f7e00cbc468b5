import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { readPaymentDeskSettings } from "../../../../utils/settings/payment-desk-settings"

/**
 * The plugin's configuration as it runs: manual payment methods (IBANs
 * masked), Stripe (whether its key and webhook secret are set, never their
 * values; its last webhook; refunds awaiting reconciliation) and the jobs
 * with their schedule and last run.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ settings: await readPaymentDeskSettings(req.scope) })
}
