import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN } from "@medusajs/framework/utils"
import { applyRefundVerdictWorkflow } from "./apply-refund-verdict"
import { attemptRefundWorkflow } from "./attempt-refund"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { checkRefundAtProviderStep, RECONCILIATION } from "./steps/check-refund-at-provider"
import type { ProviderListing } from "../../utils/refunds/gateways"
import { createAuditEntriesStep } from "../shared/steps/create-audit-entries"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"
import { loadRefundRequestStep } from "./steps/load-refund-request"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"
import { systemNote } from "../../utils/notes/system-notes"

/** Input of `reconcileRefundWorkflow`. */
export type ReconcileRefundWorkflowInput = {
  refund_request_id: string
  /** The payment's refunds listed once for all its rows in this run (Stripe); asked afresh when absent or older than the dispatch. */
  listing?: ProviderListing | null
}

export const reconcileRefundWorkflowId = "payment-desk-reconcile-refund"


/**
 * Settles a refund still `pending` (or `requires_action`) under the order's
 * lock by asking its provider: found → its verdict (booked in Medusa once);
 * verifiably absent → sent again with a new key; never dispatched →
 * canceled; otherwise looked at again later. Refunds at the provider that no
 * ledger row made are flagged in the audit trail once. Run by the
 * reconciliation job.
 */
export const reconcileRefundWorkflow = createWorkflow(
  reconcileRefundWorkflowId,
  (input: WorkflowData<ReconcileRefundWorkflowInput>) => {
    const found = loadRefundRequestStep(transform({ input }, ({ input }) => ({ refund_request_id: input.refund_request_id })))
    const lock = acquireOrderLockStep(transform({ found }, ({ found }) => ({ order_id: found.order_id })))
    const check = checkRefundAtProviderStep(input)

    const verdict = when("settle-found-refund", { check }, ({ check }) => check.action === "settle").then(() =>
      applyRefundVerdictWorkflow.runAsStep({
        input: transform({ check }, ({ check }) => ({
          refund_request_id: check.refund_request.id,
          answer: check.answer!,
          source: "reconciliation",
        })),
      })
    )
    const resent = when("resend-absent-refund", { check }, ({ check }) => check.action === "resend").then(() =>
      attemptRefundWorkflow.runAsStep({
        input: transform({ check }, ({ check }) => ({ refund_request_id: check.refund_request.id, context: { actor: RECONCILIATION } })),
      })
    )

    const outcome = transform({ check, resent }, ({ check, resent }) => {
      const row = check.refund_request
      const flagged = check.unknown_refunds.map((providerRefundId) => ({
        order_id: row.order_id,
        payment_id: row.payment_id,
        action: "refund_unknown_at_provider",
        actor_type: "system" as const,
        actor_id: RECONCILIATION.id,
        currency_code: row.currency_code,
        reference: providerRefundId,
        note: null,
        amount: null,
        dedupe_key: `unknown-provider-refund:${providerRefundId}`,
        metadata: {
          refund_request_id: row.id,
          amount_of_row: MathBN.convert(row.amount).toNumber(),
          ...systemNote("provider_refund_unknown", { reference: providerRefundId }),
        },
      }))
      return { audit: flagged, events: resent?.events ?? [] }
    })
    createAuditEntriesStep(transform({ outcome }, ({ outcome }) => outcome.audit))
    emitPaymentDeskEventsStep(transform({ outcome }, ({ outcome }) => ({ events: outcome.events, immediate: true })))
    releaseOrderLockStep(lock)

    const result = transform({ check, verdict, resent }, ({ check, verdict, resent }) => ({
      action: check.action,
      refund_request: verdict?.refund_request ?? resent?.refund_request ?? check.refund_request,
      unknown_refunds: check.unknown_refunds,
    }))
    return new WorkflowResponse(result)
  }
)
