import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { recordPaymentWorkflow } from "../../../../../../workflows/record-payment"
import { AUDIT_SHOWN, listOrderAudit, withQrCode } from "../../../../../../utils/orders/retrieve-order-payments"
import type { AdminRecordPaymentType } from "../../../validators"
import { requestContext } from "../../../../../utils/request-context"
import { answerConflicts } from "../../../../../utils/answer-conflicts"

/** Records money received for the order: `{ amount, method, reference?, received_at?, note? }`. */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminRecordPaymentType>, res: MedusaResponse) => {
  // The audit trail is read while the receipt is recorded (not after it); the
  // receipt's own entry is put in front of it.
  const earlier = listOrderAudit(req.scope, req.params.id)
  earlier.catch(() => {})
  const { result } = await recordPaymentWorkflow(req.scope).run({
    input: {
      ...req.validatedBody,
      order_id: req.params.id,
      ...requestContext(req),
    },
  })
  const [entries, summary] = await Promise.all([earlier, withQrCode(result.summary)])
  const audit = [result.audit_entry, ...entries.filter((entry) => entry.id !== result.audit_entry.id)].slice(0, AUDIT_SHOWN)
  // A closed order takes no payments, so the closure is null here.
  res.json({ audit_entry: result.audit_entry, summary: { ...summary, audit, closure: null } })
})
