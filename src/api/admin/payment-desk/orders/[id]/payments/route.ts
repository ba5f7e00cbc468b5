import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { recordPaymentWorkflow } from "../../../../../../workflows/receipts/record-payment"
import { withAdminOrderDetails, withQrCode } from "../../../../../../utils/orders/retrieve-order-payments"
import type { AdminRecordPaymentType } from "../../../validators"
import { requestContext } from "../../../../../utils/request-context"
import { answerConflicts } from "../../../../../utils/answer-conflicts"
import { callerCan } from "../../../../../utils/require-permission"

/** Records money received for the order: `{ amount, method, reference?, received_at?, note? }`. */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminRecordPaymentType>, res: MedusaResponse) => {
  const { result } = await recordPaymentWorkflow(req.scope).run({
    input: {
      ...req.validatedBody,
      order_id: req.params.id,
      ...requestContext(req),
    },
  })
  const [summary, can] = await Promise.all([
    withQrCode(result.summary).then((computed) => withAdminOrderDetails(req.scope, req.params.id, computed)),
    callerCan(req),
  ])
  // The summary reads as the order route's.
  res.json({ audit_entry: result.audit_entry, summary: { ...summary, can } })
})
