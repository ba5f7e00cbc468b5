import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ignoreBankTransactionStep } from "./steps/ignore-bank-transaction"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"

/** Input of `ignoreBankTransactionWorkflow`. */
export type IgnoreBankTransactionWorkflowInput = { bank_transaction_id: string; note: string; actor: Actor }

export const ignoreBankTransactionWorkflowId = "payment-desk-ignore-bank-transaction"

/** Sets a statement line waiting for review aside, with who decided, when and why; it books nothing. */
export const ignoreBankTransactionWorkflow = createWorkflow(
  ignoreBankTransactionWorkflowId,
  (input: WorkflowData<IgnoreBankTransactionWorkflowInput>) => {
    const actor = resolveActorStep(input.actor)
    const line = ignoreBankTransactionStep(
      transform({ input, actor }, ({ input, actor }) => ({
        bank_transaction_id: input.bank_transaction_id,
        note: input.note,
        actor_id: actor.id,
        actor_email: actor.email,
      }))
    )
    return new WorkflowResponse({ bank_transaction: line })
  }
)
