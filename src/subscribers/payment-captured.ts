import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentEvents } from "@medusajs/framework/utils"
import { retryWhenBusy } from "../utils/orders/retry-when-busy"
import { recordMedusaPaymentActionsWorkflow } from "../workflows/audit/record-medusa-payment-actions"

/** A capture or mark-as-paid done with Medusa's own buttons is written to the audit trail (source `medusa`). */
export default async function paymentCapturedHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await retryWhenBusy(() =>
    recordMedusaPaymentActionsWorkflow(container).run({ input: { payment_id: event.data.id, event: event.name } })
  )
}

export const config: SubscriberConfig = { event: PaymentEvents.CAPTURED }
