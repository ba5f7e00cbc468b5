import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, Modules } from "@medusajs/framework/utils"

/** The payment and collection fields a capture changes, as they were before it. */
export type CaptureRestorePoint = {
  /** Captures that existed before this one. */
  capture_ids: string[]
  /** Null when the payment was created by the same run: the step reads it before capturing (its own compensation cancels it). */
  payment: { data: Record<string, unknown> | null; captured_at: Date | string | null } | null
  collection: {
    id: string
    status: string
    captured_amount: string
    completed_at: Date | string | null
  }
}

export type CaptureReceivedPaymentStepInput = {
  order_id: string
  payment_id: string
  amount: number
  currency_code: string
  captured_by?: string | null
  /** Read with the order under its lock; restored if a later step fails. */
  restore: CaptureRestorePoint
}

type Compensation = CaptureRestorePoint & {
  payment_id: string
  capture_id?: string
}

export const captureReceivedPaymentStepId = "capture-received-payment"

/**
 * Captures the received amount on the order's manual payment, as Medusa's
 * own capture does; the order transaction follows in core's
 * `addOrderTransactionStep`. The restore point is handed to the compensation
 * before anything is written, so a failure at any point undoes the capture.
 */
export const captureReceivedPaymentStep = createStep(
  captureReceivedPaymentStepId,
  async (input: CaptureReceivedPaymentStepInput, { container }) => {
    const paymentModule = container.resolve(Modules.PAYMENT)
    // A payment this run created (mark-as-paid mode) is read before its capture,
    // so that a compensation gives it back its uncaptured data: the manual
    // provider refuses to cancel a payment whose data holds a capture.
    const before =
      input.restore.payment ??
      (await paymentModule
        .retrievePayment(input.payment_id, { select: ["id", "data", "captured_at"] })
        .then((row) => ({ data: (row.data as Record<string, unknown> | null) ?? null, captured_at: row.captured_at ?? null })))

    const payment = await paymentModule.capturePayment({
      payment_id: input.payment_id,
      amount: input.amount,
      captured_by: input.captured_by ?? undefined,
    })
    const earlier = new Set(input.restore.capture_ids)
    const capture = (payment.captures ?? []).find((row) => !earlier.has(row.id))
    const compensation: Compensation = { ...input.restore, payment: before, payment_id: input.payment_id, capture_id: capture?.id }
    if (!capture) {
      return StepResponse.permanentFailure(`The capture of payment ${input.payment_id} was not recorded`, compensation)
    }
    return new StepResponse(
      {
        capture_id: capture.id,
        payment_captured_at: (payment.captured_at as Date | string | null) ?? null,
      },
      compensation
    )
  },
  // A manual receipt moved no money through a processor, so undoing it is
  // safe: remove the capture and its order transaction, restore the payment
  // as it was and its collection to what its remaining captures make it.
  async (compensation: Compensation | undefined, { container }) => {
    if (!compensation) {
      return
    }
    const paymentModule = container.resolve(Modules.PAYMENT)
    // Only this receipt's own capture: one made meanwhile by someone else is theirs.
    const earlier = new Set(compensation.capture_ids)
    const made = (await paymentModule.listCaptures({ payment_id: compensation.payment_id }, { select: ["id"] })).filter((row) =>
      compensation.capture_id ? row.id === compensation.capture_id : !earlier.has(row.id)
    )
    if (made.length) {
      await paymentModule.deleteCaptures(made.map((row) => row.id))
    }
    await paymentModule.updatePayment({
      id: compensation.payment_id,
      ...(compensation.payment
        ? { data: compensation.payment.data ?? undefined, captured_at: compensation.payment.captured_at }
        : { captured_at: null }),
    } as Parameters<typeof paymentModule.updatePayment>[0])
    // The collection's captured amount is what its captures add up to now: a
    // capture someone else made meanwhile (outside the order's lock: another
    // plugin, a script) still counts, as it would have without this receipt.
    const collection = await paymentModule.retrievePaymentCollection(compensation.collection.id, {
      select: ["id", "amount", "status", "completed_at"],
      relations: ["payments", "payments.captures"],
    })
    const captured = (collection.payments ?? [])
      .flatMap((payment) => payment.captures ?? [])
      .reduce((sum, capture) => MathBN.add(sum, capture.amount), MathBN.convert(0))
    const complete = MathBN.gte(captured, collection.amount) && MathBN.gt(captured, 0)
    await paymentModule.updatePaymentCollections(compensation.collection.id, {
      status: complete ? collection.status : compensation.collection.status,
      captured_amount: captured,
      completed_at: complete ? collection.completed_at : compensation.collection.completed_at,
    } as Parameters<typeof paymentModule.updatePaymentCollections>[1])
  }
)
