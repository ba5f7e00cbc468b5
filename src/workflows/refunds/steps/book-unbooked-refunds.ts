import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN } from "@medusajs/framework/utils"
import { readOrderPayments } from "../../../utils/orders/read-order-payments"
import { assertNoActiveOrderChange } from "../../../utils/orders/active-order-change"
import { refundCreditLineOf } from "../../../utils/refunds/refund-credit-line"
import { listRefundTransactions, unbookedRefundsOf } from "../../../utils/refunds/unbooked-refunds"
import { bookUnbookedRefundWorkflow } from "../book-unbooked-refund"

export type BookUnbookedRefundsStepInput = {
  order_id: string
  /** What the caller is doing, for the refusal while an order change is under way ("closing the order"). */
  doing: string
}

/** The refunds this run booked: Medusa's refund id and the amount booked. */
export type BookedUnbookedRefunds = { booked: { refund_id: string; payment_id: string; amount: number }[] }

export const bookUnbookedRefundsStepId = "book-unbooked-refunds"

/**
 * Books, under the order's lock (the caller holds it), every Medusa refund
 * of the order's payments that the order's books miss (`unbookedRefundsOf`:
 * e.g. Medusa's cancel that failed past its refunds took their order
 * transactions back), one at a time through `bookUnbookedRefundWorkflow`,
 * each credit line worked out from the order as the previous booking left
 * it, so the order's summary counts what Medusa's payment rows say was
 * refunded. Re-reads the order here; a refund booked already is skipped, so
 * a second run books nothing. Refused (400) while Medusa has an order change
 * under way, whose credit line would be refused midway.
 */
export const bookUnbookedRefundsStep = createStep(
  bookUnbookedRefundsStepId,
  async (input: BookUnbookedRefundsStepInput, { container }) => {
    const [order, transactions] = await Promise.all([
      readOrderPayments(container, input.order_id),
      listRefundTransactions(container, input.order_id),
    ])
    const unbooked = unbookedRefundsOf(order, transactions)
    if (!unbooked.length) {
      return new StepResponse<BookedUnbookedRefunds>({ booked: [] })
    }
    await assertNoActiveOrderChange(container, { order_id: input.order_id }, input.doing)
    const booked: BookedUnbookedRefunds["booked"] = []
    for (const refund of unbooked) {
      const amount = MathBN.convert(refund.amount).toNumber()
      const credit = await refundCreditLineOf(container, { order_id: input.order_id, refund_id: refund.refund_id, amount })
      // Fails closed: a booking that fails undoes itself and stops the caller.
      await bookUnbookedRefundWorkflow(container).run({
        input: { order_id: input.order_id, refund_id: refund.refund_id, amount, currency_code: refund.currency_code, credit_line_amount: credit },
      })
      booked.push({ refund_id: refund.refund_id, payment_id: refund.payment_id, amount })
    }
    return new StepResponse<BookedUnbookedRefunds>({ booked })
  }
  // No compensation: each booking records money that has left already (the
  // provider refunded it), so the order's books are right with it whatever
  // the caller does next; undoing it would bring the mismatch back.
)
