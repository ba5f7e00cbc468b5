import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"
import { loadRefundRequestStep } from "./steps/load-refund-request"
import { reopenRefundPayoutStep } from "./steps/reopen-refund-payout"
import type { SystemNote } from "../../utils/notes/system-notes"

/** Input of `reopenRefundPayoutWorkflow`. */
export type ReopenRefundPayoutWorkflowInput = {
  refund_request_id: string
  amount: number | string
  currency_code: string
  reference: string
  note?: string | null
  /** The plugin's own note (e.g. the bank statement line), said in each reader's language. */
  system_note?: SystemNote | null
  actor: Actor
  ip?: string | null
  user_agent?: string | null
}

export const reopenRefundPayoutWorkflowId = "payment-desk-reopen-refund-payout"

/**
 * Records that the bank returned a manual refund's payout, under the order's
 * lock: `succeeded` → `awaiting_payout` once, audited, so the refund is paid
 * out again.
 */
export const reopenRefundPayoutWorkflow = createWorkflow(
  reopenRefundPayoutWorkflowId,
  (input: WorkflowData<ReopenRefundPayoutWorkflowInput>) => {
    const found = loadRefundRequestStep(transform({ input }, ({ input }) => ({ refund_request_id: input.refund_request_id })))
    const lock = acquireOrderLockStep(transform({ found }, ({ found }) => ({ order_id: found.order_id })))
    const actor = resolveActorStep(input.actor)
    const reopened = reopenRefundPayoutStep(
      transform({ input, actor }, ({ input, actor }) => ({
        refund_request_id: input.refund_request_id,
        amount: input.amount,
        currency_code: input.currency_code,
        reference: input.reference,
        note: input.note,
        system_note: input.system_note ?? null,
        context: { actor, ip: input.ip, user_agent: input.user_agent },
      }))
    )
    releaseOrderLockStep(lock)
    return new WorkflowResponse({ refund_request: reopened.refund_request })
  }
)
