import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { retryWhenBusy } from "../utils/orders/retry-when-busy"
import { recordCoreCancellationWorkflow } from "../workflows/closures/record-core-cancellation"
import { recordMedusaPaymentActionsWorkflow } from "../workflows/audit/record-medusa-payment-actions"

/**
 * An order canceled with Medusa's own "Cancel order" becomes a closure too,
 * and the refunds core's cancel made (it emits no `payment.refunded`) are
 * written to the audit trail; one failing does not keep the other from running.
 */
export default async function orderCanceledHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  try {
    await recordCoreCancellationWorkflow(container).run({ input: { order_id: event.data.id } })
  } finally {
    // One after the other: both take the order's lock.
    await retryWhenBusy(() =>
      recordMedusaPaymentActionsWorkflow(container).run({ input: { order_id: event.data.id, event: event.name } })
    )
  }
}

export const config: SubscriberConfig = { event: "order.canceled" }
