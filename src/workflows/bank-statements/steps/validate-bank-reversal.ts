import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { BankTransactionRow } from "../../../modules/payment-desk/models/bank-transaction"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

/** Input of {@link validateBankReversalStep}. */
export type ValidateBankReversalStepInput = {
  line: BankTransactionRow
  /** Whether the caller holds the refund permission (booking a reversal refunds the order's receipt). */
  may_refund: boolean
}

/** What a reversal books: a refund of `amount` on the payment the reversed credit was captured on. */
export type BankReversalPlan = {
  order_id: string
  payment_id: string
  amount: number
  currency_code: string
  /** The recorded credit line the bank took back. */
  reversed_line_id: string
}

export const validateBankReversalStepId = "validate-bank-reversal"

/**
 * Checks that a statement line is a reversed credit that can be booked: an
 * outgoing reversal on an order, for a caller with the refund permission,
 * taking back a credit line of the same amount and currency that was
 * recorded as a receipt on that order; answers the payment to refund.
 */
export const validateBankReversalStep = createStep(
  validateBankReversalStepId,
  async (input: ValidateBankReversalStepInput, { container }) => {
    const line = input.line
    if (!input.may_refund) {
      throw new MedusaError(
        MedusaError.Types.FORBIDDEN,
        "Booking a reversed credit refunds the order's receipt and needs the refund permission: the line waits in review for someone who has it"
      )
    }
    if (line.direction !== "debit" || !line.reversal || line.refund_request_id) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Bank transaction ${line.id} is not a reversed credit: only a reversal of an incoming payment is booked as a refund`
      )
    }
    if (!line.order_id) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Bank transaction ${line.id} names no order: ignore it with a note, or refund the order it reverses`)
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const credits = await desk.listBankTransactions(
      { order_id: line.order_id, direction: "credit", status: "recorded" },
      { order: { booking_date: "DESC" }, take: 200 }
    )
    const reversed = credits.find(
      (credit) =>
        !credit.refund_request_id &&
        !!credit.audit_entry_id &&
        credit.currency_code.toLowerCase() === line.currency_code.toLowerCase() &&
        MathBN.eq(credit.amount as never, line.amount as never)
    )
    const [receipt] = reversed
      ? await desk.listAuditEntries({ id: reversed.audit_entry_id as string, action: "payment_recorded" }, { select: ["id", "payment_id"], take: 1 })
      : []
    if (!reversed || !receipt?.payment_id) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `No credit of ${MathBN.convert(line.amount as never).toString()} ${line.currency_code.toUpperCase()} was recorded from a bank statement on this order, so the reversal has no receipt to refund: refund the order's receipt, then ignore this line with a note`
      )
    }
    const plan: BankReversalPlan = {
      order_id: line.order_id,
      payment_id: receipt.payment_id as string,
      amount: MathBN.convert(line.amount as never).toNumber(),
      currency_code: line.currency_code,
      reversed_line_id: reversed.id,
    }
    return new StepResponse(plan)
  }
  // Reads only: nothing to undo.
)
