import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentDeskEvents, RefundEventData } from "../events"
import { notifyRefundWorkflow } from "../workflows/notifications/notify-refund"

/** The customer's "refund requested" email, when the refund says notify_customer. */
export default async function refundRequestedHandler({ event, container }: SubscriberArgs<RefundEventData>) {
  await notifyRefundWorkflow(container).run({
    input: { refund_request_id: event.data.refund_request_id, kind: "requested", status: event.data.status },
  })
}

export const config: SubscriberConfig = { event: PaymentDeskEvents.REFUND_REQUESTED }
