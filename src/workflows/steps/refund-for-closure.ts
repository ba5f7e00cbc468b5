import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { readRefundablePayment } from "../../utils/refundable"
import { issueRefundWorkflow } from "../issue-refund"
import type { Actor } from "./resolve-actor"

export type RefundForClosureStepInput = {
  order_id: string
  payment_ids: string[]
  actor: Actor
  reason: string
  notify_customer?: boolean
}

export const refundForClosureStepId = "refund-for-closure"

/**
 * Refunds everything captured and not yet refunded, payment by payment,
 * through `issueRefundWorkflow` (ledger rows, locks, keys). A refund must
 * settle (succeeded, or awaiting a manual payout) before the order closes.
 */
export const refundForClosureStep = createStep(
  refundForClosureStepId,
  async (input: RefundForClosureStepInput, { container }) => {
    const ids: string[] = []
    let refunded = MathBN.convert(0)
    for (const paymentId of input.payment_ids) {
      const payment = await readRefundablePayment(container, paymentId)
      if (!MathBN.gt(payment.refundable, 0)) {
        continue
      }
      const { result } = await issueRefundWorkflow(container).run({
        input: {
          order_id: input.order_id,
          payment_id: paymentId,
          amount: MathBN.convert(payment.refundable).toNumber(),
          note: `Order closed: ${input.reason}`,
          notify_customer: input.notify_customer,
          actor: input.actor,
        },
      })
      const row = result.refund_request
      ids.push(row.id)
      if (row.status !== "succeeded" && row.status !== "awaiting_payout") {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `The refund of payment ${paymentId} is ${row.status}${row.last_error ? ` (${row.last_error})` : ""}: the order stays open until it has settled`
        )
      }
      refunded = MathBN.add(refunded, row.amount)
    }
    return new StepResponse({ refund_request_ids: ids, refunded_amount: refunded.toNumber() })
  }
  // No compensation: a refund the provider has taken cannot be taken back.
  // Its ledger row stays, visible, whatever fails after this step.
)
