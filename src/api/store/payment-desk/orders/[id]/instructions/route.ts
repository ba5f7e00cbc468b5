import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { retrieveOrderPaymentSummary } from "../../../../../../utils/orders/retrieve-order-payments"

/** How the logged-in customer pays their order with a manual method: instructions, reference, account, amount due, deadline, QR code. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const summary = await retrieveOrderPaymentSummary(req.scope, req.params.id, {
    customer_id: req.auth_context.actor_id,
  })
  if (!summary.payment_method_name) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Order with id: ${req.params.id} is not paid with a manual payment method, so it has no payment instructions`
    )
  }
  res.json({
    method: summary.payment_method,
    display_name: summary.payment_method_name,
    instructions: summary.instructions,
    amount_due: summary.outstanding_amount,
    currency_code: summary.currency_code,
    pay_by: summary.pay_by,
    reference: summary.reference,
    account: summary.account,
    qr_svg: summary.qr_svg,
    epc_payload: summary.epc_payload,
  })
}
