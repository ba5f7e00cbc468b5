import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"
import { setRefundPayoutAccountStep } from "./steps/set-refund-payout-account"

/** Input of `setRefundPayoutAccountWorkflow`. */
export type SetRefundPayoutAccountWorkflowInput = {
  refund_request_id: string
  payout_account: { name: string; iban: string; bic?: string | null }
  actor: Actor
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
}

export const setRefundPayoutAccountWorkflowId = "payment-desk-set-refund-payout-account"

/**
 * Adds or corrects the payee of a manual refund awaiting payout, until a
 * SEPA export holds it (then `409`); audited with the masked account before
 * and after.
 */
export const setRefundPayoutAccountWorkflow = createWorkflow(
  setRefundPayoutAccountWorkflowId,
  (input: WorkflowData<SetRefundPayoutAccountWorkflowInput>) => {
    const actor = resolveActorStep(input.actor)
    const set = setRefundPayoutAccountStep(
      transform({ input, actor }, ({ input, actor }) => ({
        refund_request_id: input.refund_request_id,
        payout_account: input.payout_account,
        context: { actor, ip: input.ip, user_agent: input.user_agent, idempotency_key: input.idempotency_key },
      }))
    )
    return new WorkflowResponse(set)
  }
)
