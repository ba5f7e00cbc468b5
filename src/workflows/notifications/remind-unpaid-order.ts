import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { sendReminderEmailStep } from "./steps/send-reminder-email"

export const remindUnpaidOrderWorkflowId = "payment-desk-remind-unpaid-order"

/**
 * Sends one order's payment reminder, once per order (key
 * `payment-desk-reminder-<order_id>`), after checking again that money is
 * still due and the deadline is near; a failing email provider is retried.
 */
export const remindUnpaidOrderWorkflow = createWorkflow(
  remindUnpaidOrderWorkflowId,
  (input: WorkflowData<{ order_id: string }>) => {
    const email = sendReminderEmailStep(input).config({ maxRetries: 3 })
    return new WorkflowResponse(email)
  }
)
