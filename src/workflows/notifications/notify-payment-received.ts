import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { PaymentRecordedEventData } from "../../events"
import { sendPaymentEmailsStep } from "./steps/send-payment-emails"

export const notifyPaymentReceivedWorkflowId = "payment-desk-notify-payment-received"

/**
 * The customer's emails of a recorded payment: a receipt per receipt (key
 * `payment-desk-payment-received-<audit_entry_id>`) and one "fully paid" per
 * order (key `payment-desk-fully-paid-<order_id>`); retried when the email
 * provider fails, each key sent once.
 */
export const notifyPaymentReceivedWorkflow = createWorkflow(
  notifyPaymentReceivedWorkflowId,
  (input: WorkflowData<PaymentRecordedEventData>) => {
    const emails = sendPaymentEmailsStep(input).config({ maxRetries: 3 })
    return new WorkflowResponse(emails)
  }
)
