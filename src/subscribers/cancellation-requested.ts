import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { CancellationRequestedEventData, PaymentDeskEvents } from "../events"
import { notifyCancellationWorkflow } from "../workflows/notifications/notify-cancellation"

/** Confirms to the customer that their cancellation request was received. */
export default async function cancellationRequestedHandler({ event, container }: SubscriberArgs<CancellationRequestedEventData>) {
  await notifyCancellationWorkflow(container).run({ input: { cancellation_request_id: event.data.cancellation_request_id } })
}

export const config: SubscriberConfig = { event: PaymentDeskEvents.CANCELLATION_REQUESTED }
