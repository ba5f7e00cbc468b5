import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentDeskEvents, RefundEventData } from "../events"
import { notifyRefundWorkflow } from "../workflows/notifications/notify-refund"

/** The customer's "refund succeeded" email, when the refund says notify_customer. */
export default async function refundSucceededHandler({ event, container }: SubscriberArgs<RefundEventData>) {
  await notifyRefundWorkflow(container).run({
    input: { refund_request_id: event.data.refund_request_id, kind: "succeeded", status: event.data.status },
  })
}

export const config: SubscriberConfig = { event: PaymentDeskEvents.REFUND_SUCCEEDED }
