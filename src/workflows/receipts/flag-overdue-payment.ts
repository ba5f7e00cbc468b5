import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { PaymentDeskEvents } from "../../events"
import type { OverdueManualPayment } from "../../utils/closures/overdue-payments"
import { createAuditEntriesStep } from "../shared/steps/create-audit-entries"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"
import { flagOverduePaymentStep } from "./steps/flag-overdue-payment"
import { systemNote } from "../../utils/notes/system-notes"

export const flagOverduePaymentWorkflowId = "payment-desk-flag-overdue-payment"

/** Flags a partly paid order past its payment window, once: an audit entry and `payment_desk.payment_overdue`. */
export const flagOverduePaymentWorkflow = createWorkflow(
  flagOverduePaymentWorkflowId,
  (input: WorkflowData<OverdueManualPayment>) => {
    const claim = flagOverduePaymentStep(transform({ input }, ({ input }) => ({ payment_id: input.payment_id })))
    when("first-flag", { claim }, ({ claim }) => claim.flagged).then(() => {
      createAuditEntriesStep(
        transform({ input }, ({ input }) => [
          {
            order_id: input.order_id,
            payment_id: input.payment_id,
            action: "payment_overdue",
            actor_type: "system" as const,
            actor_id: "close-unpaid-orders",
            amount: input.amount - input.captured,
            currency_code: input.currency_code,
            note: null,
            metadata: systemNote("partly_paid_overdue", {
              paid: input.captured,
              total: input.amount,
              currency_code: input.currency_code,
              pay_by: new Date(input.pay_by).toISOString(),
            }),
          },
        ])
      )
      emitPaymentDeskEventsStep(
        transform({ input }, ({ input }) => ({
          events: [{ name: PaymentDeskEvents.PAYMENT_OVERDUE, data: { ...input, outstanding: input.amount - input.captured } }],
        }))
      )
    })
    return new WorkflowResponse(transform({ claim }, ({ claim }) => ({ flagged: claim.flagged })))
  }
)
