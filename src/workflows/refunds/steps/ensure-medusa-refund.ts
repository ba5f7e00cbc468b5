import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, Modules } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { findMedusaRefundOf } from "../../../utils/refunds/gateways"
import { refundCreditLineOf } from "../../../utils/refunds/refund-credit-line"
import { medusaRefundNote } from "../../../utils/notes/system-notes"

export type EnsureMedusaRefundStepInput = { refund_request_id: string }

/** What booking a ledger refund in Medusa needs next. */
export type EnsuredMedusaRefund = {
  refund_id: string
  /** Whether this run wrote Medusa's refund row (the provider path did not). */
  created: boolean
  order_id: string
  payment_id: string
  amount: number
  currency_code: string
  /** The refund credit line core's refund would add (0 when none, or when it is there already). */
  credit_line_amount: number
}

type PaymentModuleInternals = {
  createRefunds(data: Record<string, unknown>): Promise<{ id: string }>
  maybeUpdatePaymentCollection_(paymentCollectionId: string): Promise<void>
}

export const ensureMedusaRefundStepId = "ensure-medusa-refund"

/**
 * Makes sure Medusa has the refund row of a ledger attempt (the payment
 * module's gateway wrote it with the provider call; for Stripe, whose money
 * the plugin moved itself, it is written here with no provider call) and its
 * payment collection totals, and works out the refund credit line core's
 * `refundPaymentWorkflow` would add, from the order as it was before this
 * refund. Safe to run again: each write is looked up first.
 */
export const ensureMedusaRefundStep = createStep(
  ensureMedusaRefundStepId,
  async (input: EnsureMedusaRefundStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const paymentModule = container.resolve(Modules.PAYMENT)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    let refund = await findMedusaRefundOf(container, row)
    let created = false
    if (!refund) {
      const payment = await paymentModule.retrievePayment(row.payment_id, { select: ["id", "payment_collection_id"] })
      // The Refund model's generated writer and the collection recount core's
      // refundPayment runs, without its provider call (the money has left).
      const internals = paymentModule as unknown as PaymentModuleInternals
      const made = await internals.createRefunds({
        payment_id: row.payment_id,
        amount: row.amount,
        created_by: row.requested_by_id ?? null,
        note: medusaRefundNote(row, desk.getOptions().notifications.language),
        refund_reason_id: row.refund_reason_id ?? null,
        metadata: { recorded_by: "medusa-payment-desk", refund_request_id: row.id, attempt: row.attempts },
      })
      await internals.maybeUpdatePaymentCollection_(payment.payment_collection_id)
      refund = { id: made.id, amount: row.amount }
      created = true
    }

    const creditLine = await refundCreditLineOf(container, { order_id: row.order_id, refund_id: refund.id, amount: row.amount })
    const ensured: EnsuredMedusaRefund = {
      refund_id: refund.id,
      created,
      order_id: row.order_id,
      payment_id: row.payment_id,
      amount: MathBN.convert(row.amount).toNumber(),
      currency_code: row.currency_code,
      credit_line_amount: creditLine,
    }
    return new StepResponse(ensured)
  }
  // No compensation: the money this row records has left; a failed booking
  // is completed by the next run (reconciliation), never undone.
)
