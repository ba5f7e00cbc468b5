import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PaymentDeskEvents, RefundsToReconcileFoundEventData } from "../events"
import { reconcileRefundBatch } from "../workflows/refunds/reconcile-pending-refunds"

/** A worker's share of the reconciliation job on a fleet: checks a batch of pending refunds at their provider. */
export default async function refundsToReconcileFoundHandler({ event, container }: SubscriberArgs<RefundsToReconcileFoundEventData>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const { refund_request_ids: ids, stripe_budget: budget } = event.data
  const report = await reconcileRefundBatch(container, logger, ids, budget)
  if (report.checked || report.failed || report.deferred) {
    logger.info(
      `Refund reconciliation (a batch of ${ids.length}): ${report.checked} checked (${report.settled} settled, ${report.resent} re-sent, ${report.canceled} canceled), ${report.failed} failed; ${report.provider_calls} Stripe calls, ${report.deferred} left for the next run`
    )
  }
}

export const config: SubscriberConfig = { event: PaymentDeskEvents.REFUNDS_TO_RECONCILE_FOUND }
