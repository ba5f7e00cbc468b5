import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { sendCancellationNotificationStep } from "./steps/send-cancellation-notification"

export const notifyCancellationWorkflowId = "payment-desk-notify-cancellation"

/** Tells the customer where their cancellation request stands (once per request and status). */
export const notifyCancellationWorkflow = createWorkflow(
  notifyCancellationWorkflowId,
  (input: WorkflowData<{ cancellation_request_id: string }>) => {
    const notified = sendCancellationNotificationStep(input).config({ maxRetries: 3 })
    return new WorkflowResponse({ notified })
  }
)
