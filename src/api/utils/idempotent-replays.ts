import type { AuthenticatedMedusaRequest } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { listOrderAudit, retrieveAdminOrderPaymentSummary } from "../../utils/orders/retrieve-order-payments"
import { refundOutcome } from "../../utils/refunds/outcome"
import { describeCancellationRequest } from "../../utils/closures/cancellation-requests-view"
import { storeCancellationRequestView, storeClosureView } from "../../utils/closures/closure-view"
import { IdempotencyResolver, scopedRequestKey } from "./idempotency"

const desk = (req: AuthenticatedMedusaRequest) => req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)

/** The audit entry an earlier request with `key` wrote for `action` (by this caller). */
async function entryOf(req: AuthenticatedMedusaRequest, key: string, action: string, filters: Record<string, unknown>) {
  const [entry] = await desk(req).listAuditEntries(
    { idempotency_key: key, action, actor_id: req.auth_context?.actor_id ?? null, ...filters },
    { order: { created_at: "DESC" }, take: 1 }
  )
  return entry ?? null
}

/**
 * `POST /admin/payment-desk/orders/:id/refunds`: the ledger row the key
 * created, as it stands now (its audit facts are completed, once).
 */
export const resolveRefundReplay: IdempotencyResolver = async (req) => {
  const requestKey = scopedRequestKey(req)
  const [row] = requestKey ? await desk(req).listRefundRequests({ request_key: requestKey }) : []
  if (!row) {
    return null
  }
  const actor = { type: "user" as const, id: req.auth_context?.actor_id ?? null }
  const { audit } = refundOutcome(row, "pending", { actor, idempotency_key: req.get("idempotency-key") ?? null }, {
    requested: true,
    changed: row.status !== "pending",
  })
  await desk(req).appendAuditEntries(audit)
  return { status: 200, body: { refund_request: row, summary: await retrieveAdminOrderPaymentSummary(req.scope, row.order_id) } }
}

/** Retry and payout of `/admin/payment-desk/refunds/:id/*`: the row, if the earlier request got as far as its audit entry. */
export function resolveRefundActionReplay(action: "refund_retried" | "refund_payout_recorded"): IdempotencyResolver {
  return async (req, key) => {
    const [row] = await desk(req).listRefundRequests({ id: req.params.id })
    if (!row || !(await entryOf(req, key, action, { order_id: row.order_id }))) {
      return null
    }
    return { status: 200, body: { refund_request: row } }
  }
}

/** `POST /admin/payment-desk/orders/:id/payments`: the receipt the key recorded. */
export const resolveReceiptReplay: IdempotencyResolver = async (req, key) => {
  const entry = await entryOf(req, key, "payment_recorded", { order_id: req.params.id })
  if (!entry) {
    return null
  }
  const summary = await retrieveAdminOrderPaymentSummary(req.scope, req.params.id)
  return { status: 200, body: { audit_entry: entry, summary: { ...summary, audit: await listOrderAudit(req.scope, req.params.id) } } }
}

/** Close routes: the order's closure, once there is one. */
export function resolveCloseReplay(audience: "admin" | "store"): IdempotencyResolver {
  return async (req) => {
    const [closure] = await desk(req).listOrderClosures({ order_id: req.params.id })
    if (!closure && audience === "store") {
      // A paid order under `store_close: "request"`: the customer's open request.
      const [request] = await desk(req).listCancellationRequests({
        order_id: req.params.id,
        customer_id: req.auth_context?.actor_id,
        status: "open",
      })
      return request ? { status: 200, body: { outcome: "requested", cancellation_request: storeCancellationRequestView(request) } } : null
    }
    if (!closure) {
      return null
    }
    if (audience === "store") {
      return { status: 200, body: { outcome: "closed", order_closure: storeClosureView(closure) } }
    }
    return { status: 200, body: { order_closure: closure, summary: await retrieveAdminOrderPaymentSummary(req.scope, req.params.id) } }
  }
}

/**
 * Approve and decline of `/admin/payment-desk/cancellation-requests/:id/*`:
 * the request, once this admin's answer is on it (an approval with the
 * closure it made).
 */
export function resolveCancellationAnswerReplay(answer: "approved" | "declined"): IdempotencyResolver {
  return async (req) => {
    const [request] = await desk(req).listCancellationRequests({ id: req.params.id })
    if (!request || request.status !== answer || request.answered_by !== (req.auth_context?.actor_id ?? null)) {
      return null
    }
    const view = await describeCancellationRequest(req.scope, request.id)
    if (answer === "declined") {
      return { status: 200, body: { cancellation_request: view } }
    }
    const [closure] = await desk(req).listOrderClosures({ order_id: request.order_id })
    return closure ? { status: 200, body: { cancellation_request: view, order_closure: closure } } : null
  }
}
