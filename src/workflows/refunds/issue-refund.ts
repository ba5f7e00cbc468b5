import {
  createHook,
  createWorkflow,
  parallelize,
  transform,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { ledgerRefundWorkflow } from "./ledger-refund"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"
import { resolveActorStep, Actor } from "../shared/steps/resolve-actor"
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
  /** Where a manual refund is paid out (kept on the ledger row; the SEPA payout file uses it). */
  payout_account?: { name: string; iban: string; bic?: string | null } | null
  actor: Actor
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
  /** The caller's Idempotency-Key scoped to route and caller: the ledger row is bound to it. */
  request_key?: string | null
}

export const issueRefundWorkflowId = "payment-desk-issue-refund"

/**
 * Refunds part or all of a payment through a ledger row, under the order's
 * lock: validates the amount against what is still refundable as it is now,
 * writes the row `pending`, records the dispatch, calls the provider, books
 * what it moved in Medusa as core's refund does, and settles the row
 * (manual methods → `awaiting_payout`; an unknown outcome stays `pending`
 * for reconciliation). Then the audit trail and the `payment_desk.refund_*`
 * events, which no later failure takes back.
 */
export const issueRefundWorkflow = createWorkflow(
  issueRefundWorkflowId,
  (input: WorkflowData<IssueRefundWorkflowInput>) => {
    const lock = acquireOrderLockStep(transform({ input }, ({ input }) => ({ order_id: input.order_id })))
    const target = resolveRefundPaymentStep(
      transform({ input }, ({ input }) => ({ order_id: input.order_id, payment_id: input.payment_id }))
    )
    const [check, actor] = parallelize(
      validateRefundStep(
        transform({ input, target }, ({ input, target }) => ({
          payment_id: target.payment_id,
          amount: input.amount,
          refund_reason_id: input.refund_reason_id,
        }))
      ),
      resolveActorStep(input.actor)
    )
    const validate = createHook("validate", { input, check })

    const { refund_request } = ledgerRefundWorkflow.runAsStep({
      input: transform({ input, target, check, actor }, ({ input, target, check, actor }) => ({
        order_id: target.order_id,
        payment_id: target.payment_id,
        provider_id: check.provider_id,
        amount: input.amount,
        currency_code: check.currency_code,
        refund_reason_id: input.refund_reason_id ?? null,
        note: input.note ?? null,
        notify_customer: input.notify_customer ?? false,
        metadata: input.payout_account ? { payout_account: input.payout_account } : null,
        actor,
        ip: input.ip,
        user_agent: input.user_agent,
        idempotency_key: input.idempotency_key,
        request_key: input.request_key ?? null,
      })),
    })

    const refundSettled = createHook("refundSettled", { input, refund_request })
    releaseOrderLockStep(lock)

    return new WorkflowResponse(
      { refund_request },
      { hooks: [validate, refundSettled] }
    )
  }
)
