import {
  createHook,
  createWorkflow,
  parallelize,
  transform,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { refundOutcome } from "../utils/refund-outcome"
import { createAuditEntriesStep } from "./steps/create-audit-entries"
import { createRefundRequestStep } from "./steps/create-refund-request"
import { emitPaymentDeskEventsStep } from "./steps/emit-payment-desk-events"
import { executeRefundStep } from "./steps/execute-refund"
import { resolveActorStep, Actor } from "./steps/resolve-actor"
import { resolveRefundPaymentStep } from "./steps/resolve-refund-payment"
import { validateRefundStep } from "./steps/validate-refund"

/** Input of `issueRefundWorkflow`. */
export type IssueRefundWorkflowInput = {
  order_id: string
  /** May be left out when the order has one captured payment. */
  payment_id?: string | null
  /** Amount to refund, in the order's currency. */
  amount: number
  refund_reason_id?: string | null
  note?: string | null
  notify_customer?: boolean
  actor: Actor
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
}

export const issueRefundWorkflowId = "payment-desk-issue-refund"

/** The lock every refund of one payment takes. */
export const paymentLockKey = (paymentId: string) => `payment-desk:payment:${paymentId}`

/**
 * Refunds part or all of a payment through a ledger row: validates the amount
 * against what is still refundable under the payment's lock, writes the row
 * as `pending` with a stable idempotency key, calls the provider last and
 * settles the row from its answer (manual methods → `awaiting_payout`; an
 * unknown outcome stays `pending` for reconciliation), then writes the audit
 * trail and emits the `payment_desk.refund_*` events.
 */
export const issueRefundWorkflow = createWorkflow(
  issueRefundWorkflowId,
  (input: WorkflowData<IssueRefundWorkflowInput>) => {
    const target = resolveRefundPaymentStep(
      transform({ input }, ({ input }) => ({ order_id: input.order_id, payment_id: input.payment_id }))
    )
    const lockKey = transform({ target }, ({ target }) => paymentLockKey(target.payment_id))
    acquireLockStep(
      transform({ lockKey }, ({ lockKey }) => ({ key: lockKey, timeout: 30, retryInterval: 0.05, ttl: 300 }))
    )

    const [check, actor] = parallelize(
      validateRefundStep(
        transform({ input, target }, ({ input, target }) => ({ payment_id: target.payment_id, amount: input.amount }))
      ),
      resolveActorStep(input.actor)
    )
    const validate = createHook("validate", { input, check })

    const request = createRefundRequestStep(
      transform({ input, target, check, actor }, ({ input, target, check, actor }) => ({
        order_id: target.order_id,
        payment_id: target.payment_id,
        provider_id: check.provider_id,
        amount: input.amount,
        currency_code: check.currency_code,
        refund_reason_id: input.refund_reason_id ?? null,
        note: input.note ?? null,
        notify_customer: input.notify_customer ?? false,
        requested_by_type: actor.type,
        requested_by_id: actor.id,
      }))
    )

    // Last: the only step whose effect may leave the building.
    const settled = executeRefundStep(
      transform({ request, actor }, ({ request, actor }) => ({ refund_request_id: request.id, actor_id: actor.id }))
    )

    const outcome = transform({ input, settled, actor }, ({ input, settled, actor }) =>
      refundOutcome(
        settled.refund_request,
        "pending",
        { actor, ip: input.ip, user_agent: input.user_agent, idempotency_key: input.idempotency_key },
        { requested: true }
      )
    )
    createAuditEntriesStep(transform({ outcome }, ({ outcome }) => outcome.audit))
    emitPaymentDeskEventsStep(transform({ outcome }, ({ outcome }) => ({ events: outcome.events })))

    const refundSettled = createHook("refundSettled", { input, refund_request: settled.refund_request })
    releaseLockStep(transform({ lockKey }, ({ lockKey }) => ({ key: lockKey })))

    return new WorkflowResponse(
      { refund_request: settled.refund_request },
      { hooks: [validate, refundSettled] }
    )
  }
)
