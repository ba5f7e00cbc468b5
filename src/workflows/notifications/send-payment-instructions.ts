import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { sendInstructionsEmailStep } from "./steps/send-instructions-email"

export const sendPaymentInstructionsWorkflowId = "payment-desk-send-payment-instructions"

/**
 * Emails the payment instructions of an order placed with a manual method,
 * once per order (key `payment-desk-instructions-<order_id>`); a failing
 * email provider is retried and the key keeps it to one email.
 */
export const sendPaymentInstructionsWorkflow = createWorkflow(
  sendPaymentInstructionsWorkflowId,
  (input: WorkflowData<{ order_id: string }>) => {
    const email = sendInstructionsEmailStep(input).config({ maxRetries: 3 })
    return new WorkflowResponse(email)
  }
)
