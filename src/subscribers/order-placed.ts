import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { sendPaymentInstructionsWorkflow } from "../workflows/notifications/send-payment-instructions"

/** Emails the payment instructions of an order placed with a manual method (bank transfer, ...). */
export default async function orderPlacedHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await sendPaymentInstructionsWorkflow(container).run({ input: { order_id: event.data.id } })
}

export const config: SubscriberConfig = { event: "order.placed" }
