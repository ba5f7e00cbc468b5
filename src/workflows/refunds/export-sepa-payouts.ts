import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"
import { claimPayoutExportStep } from "./steps/claim-payout-export"
import { planSepaExportStep } from "./steps/plan-sepa-export"

/** Input of `exportSepaPayoutsWorkflow`. */
export type ExportSepaPayoutsWorkflowInput = {
  /** An earlier export to pay again: an explicit, audited re-export under a new message id. */
  re_export_of?: string | null
  execution_date?: string | null
  actor: Actor
  ip?: string | null
  user_agent?: string | null
}

export const exportSepaPayoutsWorkflowId = "payment-desk-export-sepa-payouts"

/**
 * Exports the manual refunds awaiting payout in EUR as one SEPA credit
 * transfer file and marks each exported (`refund_payout_exported`), so the
 * next export leaves them out; or, with `re_export_of`, pays an earlier
 * export's refunds again under a new message id (`refund_payout_reexported`).
 * The refunds stay `awaiting_payout` until their payout is recorded.
 */
export const exportSepaPayoutsWorkflow = createWorkflow(
  exportSepaPayoutsWorkflowId,
  (input: WorkflowData<ExportSepaPayoutsWorkflowInput>) => {
    const plan = planSepaExportStep(
      transform({ input }, ({ input }) => ({ re_export_of: input.re_export_of ?? null, execution_date: input.execution_date ?? null }))
    )
    const actor = resolveActorStep(input.actor)
    const exported = claimPayoutExportStep(
      transform({ input, plan, actor }, ({ input, plan, actor }) => ({
        plan,
        actor,
        ip: input.ip ?? null,
        user_agent: input.user_agent ?? null,
      }))
    )
    return new WorkflowResponse(exported)
  }
)
