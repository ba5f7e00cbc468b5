import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../modules/payment-desk"
import type PaymentDeskModuleService from "../modules/payment-desk/service"
import { reconcileRefundWorkflow } from "../workflows/reconcile-refund"
import { retryRefundWorkflow } from "../workflows/retry-refund"

const BATCH = 100

/**
 * Every 5 minutes: settles refunds still pending past `refunds.reconcileAfterMinutes`
 * by asking the provider, and retries refunds the system started that failed
 * and are due again. One failure is logged and the batch goes on.
 */
export default async function reconcileRefundsJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const now = new Date()

  const pending = await desk.listRefundRequests(
    { status: ["pending", "requires_action"], next_attempt_at: { $lte: now } },
    { select: ["id"], take: BATCH, order: { next_attempt_at: "ASC" } }
  )
  const due = await desk.listRefundRequests(
    { status: "failed", requested_by_type: "system", next_attempt_at: { $lte: now } },
    { select: ["id"], take: BATCH, order: { next_attempt_at: "ASC" } }
  )

  for (const row of pending) {
    try {
      await reconcileRefundWorkflow(container).run({ input: { refund_request_id: row.id } })
    } catch (error) {
      logger.error(`Reconciling refund ${row.id} failed: ${(error as Error).message}`)
    }
  }
  for (const row of due) {
    try {
      await retryRefundWorkflow(container).run({
        input: { refund_request_id: row.id, actor: { type: "system", id: "refund-retry-job" } },
      })
    } catch (error) {
      logger.error(`Retrying refund ${row.id} failed: ${(error as Error).message}`)
    }
  }
  if (pending.length || due.length) {
    logger.info(`Refund reconciliation: ${pending.length} pending checked, ${due.length} failed retried`)
  }
}

export const config = {
  name: "payment-desk-reconcile-refunds",
  schedule: "*/5 * * * *",
}
