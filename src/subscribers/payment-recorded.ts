import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentDeskEvents, PaymentRecordedEventData } from "../events"
import { notifyPaymentReceivedWorkflow } from "../workflows/notifications/notify-payment-received"

/** The customer's receipt of each recorded payment, and the "fully paid" email once nothing is due. */
export default async function paymentRecordedHandler({ event, container }: SubscriberArgs<PaymentRecordedEventData>) {
  await notifyPaymentReceivedWorkflow(container).run({ input: event.data })
}

export const config: SubscriberConfig = { event: PaymentDeskEvents.PAYMENT_RECORDED }
