import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"
import { loadRefundRequestStep } from "./steps/load-refund-request"
import { recordRefundPayoutStep } from "./steps/record-refund-payout"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"
import type { SystemNote } from "../../utils/notes/system-notes"

/** Input of `recordRefundPayoutWorkflow`. */
export type RecordRefundPayoutWorkflowInput = {
  refund_request_id: string
  reference: string
  paid_at?: Date | string | null
  note?: string | null
  /** The plugin's own note (e.g. the bank statement line), said in each reader's language. */
  system_note?: SystemNote | null
  actor: Actor
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
}

export const recordRefundPayoutWorkflowId = "payment-desk-record-refund-payout"

/**
 * Records that the merchant paid a manual refund out (bank transfer, cash)
 * under the order's lock: `awaiting_payout` → `succeeded` once (a
 * compare-and-set), with the payout reference in the audit trail and one
 * `payment_desk.refund_succeeded`.
 */
export const recordRefundPayoutWorkflow = createWorkflow(
  recordRefundPayoutWorkflowId,
  (input: WorkflowData<RecordRefundPayoutWorkflowInput>) => {
    const found = loadRefundRequestStep(transform({ input }, ({ input }) => ({ refund_request_id: input.refund_request_id })))
    const lock = acquireOrderLockStep(transform({ found }, ({ found }) => ({ order_id: found.order_id })))
    const actor = resolveActorStep(input.actor)
    const recorded = recordRefundPayoutStep(
      transform({ input, actor }, ({ input, actor }) => ({
        refund_request_id: input.refund_request_id,
        reference: input.reference,
        paid_at: input.paid_at,
        note: input.note,
        system_note: input.system_note ?? null,
        context: { actor, ip: input.ip, user_agent: input.user_agent, idempotency_key: input.idempotency_key },
      }))
    )
    emitPaymentDeskEventsStep(transform({ recorded }, ({ recorded }) => ({ events: recorded.events, immediate: true })))
    releaseOrderLockStep(lock)
    return new WorkflowResponse({ refund_request: recorded.refund_request })
  }
)
