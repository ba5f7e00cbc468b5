import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { readRefundablePayment } from "../../../utils/refunds/refundable"
import { ledgerRefundWorkflow } from "../../refunds/ledger-refund"
import { methodFromProviderId } from "../../../providers/manual-payment/options"
import { systemNote } from "../../../utils/notes/system-notes"

export type RefundForClosureStepInput = {
  order_id: string
  payment_ids: string[]
  actor: { type: "user" | "customer" | "system"; id: string | null; email: string | null }
  reason: string
  notify_customer?: boolean
  /** Where the manual refunds are paid out (kept on each manual ledger row; the SEPA file pays it). */
  payout_account?: { name: string; iban: string; bic?: string | null } | null
}

export const refundForClosureStepId = "refund-for-closure"

/**
 * Refunds everything captured and not yet refunded, payment by payment,
 * through the ledger (`ledgerRefundWorkflow`; the close holds the order's
 * lock). A refund must settle (succeeded, or awaiting a manual payout)
 * before the order closes; otherwise the close stops here, the order open.
 */
export const refundForClosureStep = createStep(
  refundForClosureStepId,
  async (input: RefundForClosureStepInput, { container }) => {
    for (const paymentId of input.payment_ids) {
      const payment = await readRefundablePayment(container, paymentId)
      if (!MathBN.gt(payment.refundable, 0)) {
        continue
      }
      const { result } = await ledgerRefundWorkflow(container).run({
        input: {
          order_id: input.order_id,
          payment_id: paymentId,
          provider_id: payment.provider_id,
          amount: MathBN.convert(payment.refundable).toNumber(),
          currency_code: payment.currency_code,
          // The plugin's own note ("Order closed: <reason>"), said in each reader's language.
          note: null,
          notify_customer: input.notify_customer,
          actor: input.actor,
          // Only a manual method's refund is paid out by hand; a provider's refund goes back the way it came.
          metadata:
            input.payout_account && methodFromProviderId(payment.provider_id)
              ? { for_closure: true, payout_account: input.payout_account, ...systemNote("order_closed", { reason: input.reason }) }
              : { for_closure: true, ...systemNote("order_closed", { reason: input.reason }) },
        },
      })
      const row = result.refund_request
      if (row.status !== "succeeded" && row.status !== "awaiting_payout") {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `The refund of payment ${paymentId} is ${row.status}${row.last_error ? ` (${row.last_error})` : ""}: the order stays open until it has settled`
        )
      }
    }
    // Everything refunded for closing this order, an earlier attempt's
    // refunds included (a close retried after a failure refunds nothing new).
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const rows = (
      await desk.listRefundRequests({ order_id: input.order_id, status: ["succeeded", "awaiting_payout"] })
    ).filter((row) => (row.metadata as { for_closure?: boolean } | null)?.for_closure === true)
    const refunded = rows.reduce((sum, row) => MathBN.add(sum, row.amount), MathBN.convert(0))
    return new StepResponse({ refund_request_ids: rows.map((row) => row.id), refunded_amount: refunded.toNumber() })
  }
  // No compensation: a refund the provider has taken cannot be taken back.
  // Its ledger row stays, visible, whatever fails after this step.
)
