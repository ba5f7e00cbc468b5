import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import type { BankTransactionRow } from "../../../modules/payment-desk/models/bank-transaction"
import { storeBankAccounts } from "../../../utils/bank-transfer/store-accounts"
import { readOrderPayments } from "../../../utils/orders/read-order-payments"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import {
  BankReceiptPlan,
  bankReceiptKey,
  bankReceiptMethod,
  bankReceivedAt,
  exactBankReceiptPlan,
  isExactBankMatch,
} from "../utils/bank-receipt"

export type { BankReceiptPlan }

export const planBankReceiptStepId = "plan-bank-receipt"

/**
 * Works out what a credit line books on its order: the line's amount, or
 * only what the order still owes when more came in (the rest is flagged as
 * excess); the method is the one whose account received the money. A line
 * whose receipt an earlier run started (and may have captured before it
 * stopped) books what that receipt was started for, so the record-payment
 * workflow resumes it. The record-payment workflow checks it all again under
 * the order's lock.
 */
export const planBankReceiptStep = createStep(
  planBankReceiptStepId,
  async (input: { line: BankTransactionRow }, { container }) => {
    const line = input.line
    const accounts = storeBankAccounts(container)
    if (isExactBankMatch(line)) {
      // Matched to exactly what the order owed: booked as it is; the
      // record-payment workflow re-reads the order under its lock and refuses
      // the receipt if the order changed since (the line then goes to review).
      return new StepResponse(exactBankReceiptPlan(line, accounts))
    }
    const started = await container
      .resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
      .findReceiptByKey(bankReceiptKey(line.id))
    if (started && (started.status === "capturing" || started.status === "captured")) {
      const received = MathBN.convert(line.amount as never)
      const booked = MathBN.convert(started.amount as never)
      return new StepResponse({
        order_id: started.order_id,
        amount: booked.toNumber(),
        excess_amount: MathBN.gt(received, booked) ? MathBN.sub(received, booked).toString() : null,
        method: bankReceiptMethod(line, accounts),
        received_at: bankReceivedAt(line),
      } satisfies BankReceiptPlan)
    }
    const order = await readOrderPayments(container, line.order_id as string)
    if (order.currency_code.toLowerCase() !== line.currency_code.toLowerCase()) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `order_id: order #${order.display_id} is in ${order.currency_code.toUpperCase()}, the line is in ${line.currency_code.toUpperCase()}`
      )
    }
    const pending = MathBN.convert(order.summary?.pending_difference ?? 0)
    if (order.status === "canceled" || MathBN.lte(pending, 0)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `order_id: order #${order.display_id} owes nothing, so the line cannot be recorded on it`
      )
    }
    const received = MathBN.convert(line.amount as never)
    const amount = MathBN.gt(received, pending) ? pending : received
    const excess = MathBN.gt(received, pending) ? MathBN.sub(received, pending).toString() : null
    const plan: BankReceiptPlan = {
      order_id: order.id,
      amount: MathBN.convert(amount).toNumber(),
      excess_amount: excess,
      method: bankReceiptMethod(line, accounts),
      received_at: bankReceivedAt(line),
    }
    return new StepResponse(plan)
  }
)
