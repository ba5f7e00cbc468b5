import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { countClosureStep } from "./steps/count-closure"
import { sendClosureNotificationsStep } from "../notifications/steps/send-closure-notifications"

export const processOrderClosureWorkflowId = "payment-desk-process-order-closure"

/**
 * What follows a closure: notifications (customer email, admin feed) and
 * counters, each exactly once per closure even if the event comes twice. A
 * failing notification provider is retried and never undoes the close.
 */
export const processOrderClosureWorkflow = createWorkflow(
  processOrderClosureWorkflowId,
  (input: WorkflowData<{ order_closure_id: string }>) => {
    const counted = countClosureStep(input)
    const notified = sendClosureNotificationsStep(input).config({ maxRetries: 3 })
    return new WorkflowResponse({ counted, notified })
  }
)
