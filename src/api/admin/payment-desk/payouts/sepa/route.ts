import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { buildSepaCreditTransfer } from "../../../../../utils/refunds/sepa-payout-file"
import { collectSepaPayouts } from "../../../../../utils/refunds/sepa-payouts"
import type { AdminExportSepaPayoutsType } from "../../bank-statements/validators"

/** The manual refunds awaiting payout in EUR as a SEPA credit transfer file (pain.001.001.03) for the store's bank. */
export async function GET(req: AuthenticatedMedusaRequest<unknown, AdminExportSepaPayoutsType>, res: MedusaResponse) {
  const { execution_date } = req.validatedQuery as AdminExportSepaPayoutsType
  const { debtor, payouts, skipped } = await collectSepaPayouts(req.scope)
  if (!payouts.length) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      skipped.length
        ? `No refund awaiting payout can go into a SEPA file: ${skipped.map((s) => `${s.refund_request_id} (${s.reason})`).join("; ")}`
        : "No refund is awaiting payout"
    )
  }
  if (!debtor) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "No EUR bank account is configured on a manual payment method (accounts option) to pay the refunds from"
    )
  }
  const now = new Date()
  const xml = buildSepaCreditTransfer({
    message_id: `PD-${now.toISOString().replace(/\D/g, "").slice(0, 14)}-${payouts.length}`,
    created_at: now,
    execution_date: execution_date ?? now.toISOString().slice(0, 10),
    debtor: { name: debtor.account_holder, iban: debtor.iban, bic: debtor.bic },
    payments: payouts,
  })
  if (skipped.length) {
    res.setHeader("X-Payment-Desk-Skipped", skipped.map((s) => s.refund_request_id).join(","))
  }
  res.setHeader("Content-Type", "application/xml; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="payment-desk-payouts-${now.toISOString().slice(0, 10)}.xml"`)
  res.status(200).send(xml)
}
