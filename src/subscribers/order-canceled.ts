import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { recordCoreCancellationWorkflow } from "../workflows/record-core-cancellation"

/** An order canceled with Medusa's own "Cancel order" becomes a closure too. */
export default async function orderCanceledHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await recordCoreCancellationWorkflow(container).run({ input: { order_id: event.data.id } })
}

export const config: SubscriberConfig = { event: "order.canceled" }
