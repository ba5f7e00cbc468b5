import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { OrderClosedEventData, PaymentDeskEvents } from "../events"
import { processOrderClosureWorkflow } from "../workflows/closures/process-order-closure"

/** Notifications and counters for every closed order. */
export default async function orderClosedHandler({ event, container }: SubscriberArgs<OrderClosedEventData>) {
  await processOrderClosureWorkflow(container).run({ input: { order_closure_id: event.data.order_closure_id } })
}

export const config: SubscriberConfig = { event: PaymentDeskEvents.ORDER_CLOSED }
