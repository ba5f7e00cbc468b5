import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { findMedusaRefundOf } from "../../../utils/refunds/gateways"

/** What taking a refund back out of Medusa's books still needs: the credit line to offset. */
export type RemovedMedusaRefund = { order_id: string; refund_id: string | null; reversal_amount: number }

type PaymentModuleInternals = { maybeUpdatePaymentCollection_(paymentCollectionId: string): Promise<void> }

export const removeMedusaRefundStepId = "remove-medusa-refund"

/**
 * Takes a refund that later failed at the provider back out of Medusa's
 * books: its order transaction, its Refund row and the payment collection
 * totals; and works out the credit line that offsets its refund credit line.
 * Safe to run again: what is gone already is skipped.
 */
export const removeMedusaRefundStep = createStep(
  removeMedusaRefundStepId,
  async (input: { refund_request_id: string }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const paymentModule = container.resolve(Modules.PAYMENT)
    const orderModule = container.resolve(Modules.ORDER)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const refund = await findMedusaRefundOf(container, row)
    const refundId = refund?.id ?? row.medusa_refund_id
    if (refund) {
      const transactions = await orderModule.listOrderTransactions({ order_id: row.order_id, reference: "refund", reference_id: refund.id })
      if (transactions.length) {
        await orderModule.deleteOrderTransactions(transactions.map((t) => t.id))
      }
      const payment = await paymentModule.retrievePayment(row.payment_id, { select: ["id", "payment_collection_id"] })
      await paymentModule.deleteRefunds([refund.id])
      await (paymentModule as unknown as PaymentModuleInternals).maybeUpdatePaymentCollection_(payment.payment_collection_id)
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", "credit_lines.amount", "credit_lines.reference", "credit_lines.reference_id"],
      filters: { id: row.order_id },
    })
    const lines = (data[0]?.credit_lines ?? []) as { amount: number; reference: string | null; reference_id: string | null }[]
    const credited = lines.find((l) => l?.reference === "refund" && l.reference_id === refundId)
    const offset = lines.find((l) => l?.reference === "refund_reversal" && l.reference_id === refundId)
    const removed: RemovedMedusaRefund = {
      order_id: row.order_id,
      refund_id: refundId ?? null,
      reversal_amount: credited && !offset ? MathBN.mult(credited.amount, -1).toNumber() : 0,
    }
    return new StepResponse(removed)
  }
  // No compensation: the provider reported the money back; the books follow.
)
