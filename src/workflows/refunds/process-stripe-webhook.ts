import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { checkWebhookEventStep } from "./steps/check-webhook-event"
import { recordWebhookEventStep } from "./steps/record-webhook-event"
import { settleStripeRefundsStep, StripeRefundLike } from "./steps/settle-stripe-refunds"

/** The parts of a verified Stripe event the workflow reads. */
export type StripeEventLike = {
  id: string
  type: string
  data: { object: Record<string, unknown> }
}

export const processStripeWebhookWorkflowId = "payment-desk-process-stripe-webhook"

/** Refund events this plugin handles. */
export const STRIPE_REFUND_EVENTS = [
  "charge.refund.updated",
  "charge.refunded",
  "refund.created",
  "refund.updated",
  "refund.failed",
]

/** The refunds an event reports: the refund itself, or a charge's refunds. */
export function refundsOfStripeEvent(event: StripeEventLike): StripeRefundLike[] {
  if (!STRIPE_REFUND_EVENTS.includes(event.type)) {
    return []
  }
  const object = event.data.object as Record<string, unknown>
  if (object.object === "refund") {
    return [object as unknown as StripeRefundLike]
  }
  const list = (object.refunds as { data?: StripeRefundLike[] } | undefined)?.data
  return list ?? []
}

/**
 * Handles a verified Stripe webhook event once (deduplicated by event id):
 * each refund it reports settles its ledger row, and the event is marked
 * handled with that change (or, when it changes nothing, after it), never
 * before: an event whose handling failed is handled again on redelivery.
 */
export const processStripeWebhookWorkflow = createWorkflow(
  processStripeWebhookWorkflowId,
  (input: WorkflowData<{ event: StripeEventLike }>) => {
    const seen = checkWebhookEventStep(
      transform({ input }, ({ input }) => ({ provider: "stripe", event_id: input.event.id }))
    )
    const settled = when("first-delivery", { seen }, ({ seen }) => seen.first).then(() => {
      const rows = settleStripeRefundsStep(
        transform({ input }, ({ input }) => ({
          event_id: input.event.id,
          type: input.event.type,
          refunds: refundsOfStripeEvent(input.event),
        }))
      )
      recordWebhookEventStep(
        transform({ input, rows }, ({ input }) => ({ provider: "stripe", event_id: input.event.id, type: input.event.type }))
      )
      return rows
    })
    const result = transform({ seen, settled }, ({ seen, settled }) => ({
      duplicate: !seen.first,
      settled: settled ?? [],
    }))
    return new WorkflowResponse(result)
  }
)
