import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retryRefundWorkflow } from "../../../../../../workflows/retry-refund"

/** Tries a failed refund again. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await retryRefundWorkflow(req.scope).run({
    input: {
      refund_request_id: req.params.id,
      actor: { type: "user", id: req.auth_context.actor_id },
      ip: req.ip ?? null,
      user_agent: req.get("user-agent") ?? null,
      idempotency_key: req.get("idempotency-key") ?? null,
    },
  })
  res.json({ refund_request: result.refund_request })
}
