import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, Modules } from "@medusajs/framework/utils"
import { methodFromProviderId } from "../../../providers/manual-payment/options"
import { capturedOf, refundedOf } from "../../../utils/orders/payment-status"
import { readOrderPayments } from "../../../utils/orders/read-order-payments"

/** Input of {@link cancelSettledPaymentsStep}: the order just closed. */
export type CancelSettledPaymentsStepInput = { order_id: string }

type Canceled = { id: string; data: Record<string, unknown> | null }[]

export const cancelSettledPaymentsStepId = "cancel-settled-payments"

/**
 * After the close: cancels the plugin's manual payments that were partly
 * captured and whose captures the close refunded in full. Medusa's cancel
 * leaves such a payment authorized (it only cancels payments with no
 * capture), so its admin offers "Capture payment" on an order that is closed
 * and settled (a click fails). The rest of the authorization holds no money
 * (a manual method), so the payment is marked canceled in the payment
 * module, as the provider's own cancel would mark it; its captures and
 * refunds stay as they are. Card payments and anything still owed are left alone.
 */
export const cancelSettledPaymentsStep = createStep(
  cancelSettledPaymentsStepId,
  async (input: CancelSettledPaymentsStepInput, { container }) => {
    const order = await readOrderPayments(container, input.order_id)
    const settled = order.payment_collections
      .flatMap((collection) => collection.payments)
      .filter((payment) => {
        const captured = capturedOf(payment)
        return (
          !payment.canceled_at &&
          !!methodFromProviderId(payment.provider_id) &&
          MathBN.gt(captured, 0) &&
          MathBN.lt(captured, payment.amount) &&
          MathBN.gte(refundedOf(payment), captured)
        )
      })
    const paymentModule = container.resolve(Modules.PAYMENT)
    const canceledAt = new Date()
    const canceled: Canceled = []
    for (const payment of settled) {
      canceled.push({ id: payment.id, data: payment.data })
      await paymentModule.updatePayment({
        id: payment.id,
        canceled_at: canceledAt,
        data: { ...(payment.data ?? {}), state: "canceled", canceled_at: canceledAt.toISOString() },
      } as Parameters<typeof paymentModule.updatePayment>[0])
    }
    return new StepResponse({ payment_ids: canceled.map((row) => row.id) }, canceled)
  },
  // A later step of the close failed: the payments are authorized again, as they were.
  async (canceled: Canceled | undefined, { container }) => {
    if (!canceled?.length) {
      return
    }
    const paymentModule = container.resolve(Modules.PAYMENT)
    for (const payment of canceled) {
      await paymentModule.updatePayment({
        id: payment.id,
        canceled_at: null,
        data: payment.data ?? {},
      } as Parameters<typeof paymentModule.updatePayment>[0])
    }
  }
)
