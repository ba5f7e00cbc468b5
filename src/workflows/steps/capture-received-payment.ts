import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"

export type CaptureReceivedPaymentStepInput = {
  order_id: string
  payment_id: string
  amount: number
  currency_code: string
  captured_by?: string | null
}

type Compensation = {
  payment_id: string
  capture_id: string
  transaction_id: string
  payment: { data: Record<string, unknown> | null; captured_at: Date | null }
  collection: {
    id: string
    status: string
    captured_amount: unknown
    completed_at: Date | null
  }
}

export const captureReceivedPaymentStepId = "capture-received-payment"

/**
 * Captures the received amount on the order's manual payment and books it on
 * the order, as Medusa's own capture does (capture row + order transaction).
 */
export const captureReceivedPaymentStep = createStep(
  captureReceivedPaymentStepId,
  async (input: CaptureReceivedPaymentStepInput, { container }) => {
    const paymentModule = container.resolve(Modules.PAYMENT)
    const orderModule = container.resolve(Modules.ORDER)

    const before = await paymentModule.retrievePayment(input.payment_id, {
      select: ["id", "data", "captured_at", "payment_collection_id"],
      relations: ["captures", "payment_collection"],
    })
    const knownCaptures = new Set((before.captures ?? []).map((capture) => capture.id))

    const captured = await paymentModule.capturePayment({
      payment_id: input.payment_id,
      amount: input.amount,
      captured_by: input.captured_by ?? undefined,
    })
    const capture = (captured.captures ?? []).find((row) => !knownCaptures.has(row.id))
    if (!capture) {
      throw new Error(`The capture of payment ${input.payment_id} was not recorded`)
    }
    const [transaction] = await orderModule.addOrderTransactions([
      {
        order_id: input.order_id,
        amount: input.amount,
        currency_code: input.currency_code,
        reference: "capture",
        reference_id: capture.id,
      },
    ])

    const collection = before.payment_collection!
    const compensation: Compensation = {
      payment_id: input.payment_id,
      capture_id: capture.id,
      transaction_id: transaction.id,
      payment: {
        data: (before.data as Record<string, unknown>) ?? null,
        captured_at: (before.captured_at as Date | null) ?? null,
      },
      collection: {
        id: collection.id,
        status: collection.status,
        captured_amount: collection.captured_amount ?? 0,
        completed_at: (collection.completed_at as Date | null) ?? null,
      },
    }
    return new StepResponse({ capture_id: capture.id, transaction_id: transaction.id }, compensation)
  },
  // A manual receipt moved no money through a processor, so undoing it is
  // safe: remove the capture and its order transaction, restore the payment
  // and its collection as they were.
  async (compensation: Compensation | undefined, { container }) => {
    if (!compensation) {
      return
    }
    const paymentModule = container.resolve(Modules.PAYMENT)
    const orderModule = container.resolve(Modules.ORDER)
    await orderModule.deleteOrderTransactions([compensation.transaction_id])
    await paymentModule.deleteCaptures([compensation.capture_id])
    await paymentModule.updatePayment({
      id: compensation.payment_id,
      data: compensation.payment.data ?? undefined,
      captured_at: compensation.payment.captured_at,
    } as Parameters<typeof paymentModule.updatePayment>[0])
    await paymentModule.updatePaymentCollections(compensation.collection.id, {
      status: compensation.collection.status,
      captured_amount: compensation.collection.captured_amount,
      completed_at: compensation.collection.completed_at,
    } as Parameters<typeof paymentModule.updatePaymentCollections>[1])
  }
)
