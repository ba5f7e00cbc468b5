import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { CancellationAnsweredEventData, PaymentDeskEvents } from "../events"
import { notifyCancellationWorkflow } from "../workflows/notifications/notify-cancellation"

/** Tells the customer the store's answer to their cancellation request. */
export default async function cancellationAnsweredHandler({ event, container }: SubscriberArgs<CancellationAnsweredEventData>) {
  await notifyCancellationWorkflow(container).run({ input: { cancellation_request_id: event.data.cancellation_request_id } })
}

export const config: SubscriberConfig = { event: PaymentDeskEvents.CANCELLATION_ANSWERED }
