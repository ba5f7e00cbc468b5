import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { sendRefundEmailStep, SendRefundEmailStepInput } from "./steps/send-refund-email"

export const notifyRefundWorkflowId = "payment-desk-notify-refund"

/**
 * The customer's email about a refund requested, succeeded or failed, when
 * the refund says `notify_customer`: once per refund and kind (key
 * `payment-desk-refund-<kind>-<refund_request_id>`), retried when the email
 * provider fails.
 */
export const notifyRefundWorkflow = createWorkflow(
  notifyRefundWorkflowId,
  (input: WorkflowData<SendRefundEmailStepInput>) => {
    const email = sendRefundEmailStep(input).config({ maxRetries: 3 })
    return new WorkflowResponse(email)
  }
)
