import type { AuthenticatedMedusaRequest } from "@medusajs/framework/http"
import { scopedRequestKey } from "./idempotency"

/** Characters of a User-Agent the audit trail keeps (a header may be kilobytes long). */
export const USER_AGENT_MAX_LENGTH = 512

/**
 * Who asks and from where, as every money workflow records it in the audit
 * trail, with the request's Idempotency-Key (raw, and scoped to route and
 * caller for binding a ledger row to it).
 */
export function requestContext(req: AuthenticatedMedusaRequest, actorType: "user" | "customer" = "user") {
  return {
    actor: { type: actorType, id: req.auth_context.actor_id },
    ip: req.ip ?? null,
    user_agent: req.get("user-agent")?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
    idempotency_key: req.get("idempotency-key") ?? null,
    request_key: scopedRequestKey(req),
  }
}
