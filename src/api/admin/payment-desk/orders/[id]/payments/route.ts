import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { recordPaymentWorkflow } from "../../../../../../workflows/record-payment"
import { listOrderAudit } from "../../../../../../utils/retrieve-order-payments"
import type { AdminRecordPaymentType } from "../../../validators"

/** Records money received for the order: `{ amount, method, reference?, received_at?, note? }`. */
export async function POST(req: AuthenticatedMedusaRequest<AdminRecordPaymentType>, res: MedusaResponse) {
  const { result } = await recordPaymentWorkflow(req.scope).run({
    input: {
      ...req.validatedBody,
      order_id: req.params.id,
      actor: { type: "user", id: req.auth_context.actor_id },
      ip: req.ip ?? null,
      user_agent: req.get("user-agent") ?? null,
      idempotency_key: req.get("idempotency-key") ?? null,
    },
  })
  const audit = await listOrderAudit(req.scope, req.params.id)
  // A closed order takes no payments, so the closure is null here.
  res.json({ audit_entry: result.audit_entry, summary: { ...result.summary, audit, closure: null } })
}
