import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ledgerRefundWorkflow } from "../refunds/ledger-refund"
import { recordRefundPayoutStep } from "../refunds/steps/record-refund-payout"
import { validateRefundStep } from "../refunds/steps/validate-refund"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"
import { claimBankTransactionStep } from "./steps/claim-bank-transaction"
import { markBankTransactionRecordedStep } from "./steps/mark-bank-transaction-recorded"
import { validateBankReversalStep } from "./steps/validate-bank-reversal"
import { systemNote } from "../../utils/notes/system-notes"

/** Input of `bookBankReversalWorkflow`. */
export type BookBankReversalWorkflowInput = {
  bank_transaction_id: string
  note?: string | null
  actor: Actor
  /** Whether the caller holds the refund permission (refused without it). */
  may_refund: boolean
  ip?: string | null
  user_agent?: string | null
}

export const bookBankReversalWorkflowId = "payment-desk-book-bank-reversal"

/** The request key a reversal's ledger refund is bound to: one refund per statement line, ever. */
export const bankReversalKey = (bankTransactionId: string) => `bank-reversal:${bankTransactionId}`

/**
 * Books a reversed credit (the bank took an incoming payment back) as a
 * refund of the order's receipt that the bank already paid back: takes the
 * line (compare-and-set, the loser gets a 409), then under the order's lock
 * writes a ledger refund through the refund workflows (validated against
 * what is refundable, booked in Medusa as core's refund does, audited) and
 * records its payout with the line as reference, so the row is `succeeded`;
 * then marks the line `recorded` with the refund.
 */
export const bookBankReversalWorkflow = createWorkflow(
  bookBankReversalWorkflowId,
  (input: WorkflowData<BookBankReversalWorkflowInput>) => {
    const actor = resolveActorStep(input.actor)
    const claimed = claimBankTransactionStep(
      transform({ input, actor }, ({ input, actor }) => ({
        bank_transaction_id: input.bank_transaction_id,
        from: ["review" as const],
        decision: { actor_id: actor.id ?? null, actor_email: actor.email ?? null, note: input.note ?? null },
      }))
    )
    const plan = validateBankReversalStep(
      transform({ input, claimed }, ({ input, claimed }) => ({ line: claimed.line, may_refund: input.may_refund === true }))
    )
    const lock = acquireOrderLockStep(transform({ plan }, ({ plan }) => ({ order_id: plan.order_id })))
    const check = validateRefundStep(transform({ plan }, ({ plan }) => ({ payment_id: plan.payment_id, amount: plan.amount })))

    // From here on the refund is booked: only forward (its ledger row is bound to the line, so it exists once).
    const { refund_request } = ledgerRefundWorkflow.runAsStep({
      input: transform({ input, plan, check, actor, claimed }, ({ input, plan, check, actor, claimed }) => ({
        order_id: plan.order_id,
        payment_id: plan.payment_id,
        provider_id: check.provider_id,
        amount: plan.amount,
        currency_code: check.currency_code,
        refund_reason_id: null,
        note: input.note ?? null,
        notify_customer: false,
        metadata: {
          bank_transaction_id: claimed.line.id,
          reversed_bank_transaction_id: plan.reversed_line_id,
          ...systemNote("bank_reversal", { line: claimed.line.line }),
        },
        actor,
        ip: input.ip ?? null,
        user_agent: input.user_agent ?? null,
        request_key: bankReversalKey(claimed.line.id),
      })),
    })
    // A manual method's refund awaits its payout: the bank already paid it back, so the line is the payout.
    const paid = when("reversal-paid-back", { refund_request }, ({ refund_request }) => refund_request.status === "awaiting_payout").then(() => {
      const recorded = recordRefundPayoutStep(
        transform({ input, claimed, refund_request, actor }, ({ input, claimed, refund_request, actor }) => ({
          refund_request_id: refund_request.id as string,
          reference: claimed.line.bank_transaction_id ?? claimed.line.end_to_end_id ?? claimed.line.id,
          paid_at: new Date(claimed.line.booking_date as unknown as string).toISOString(),
          system_note: systemNote("bank_reversal", { line: claimed.line.line }).system_note,
          context: { actor, ip: input.ip ?? null, user_agent: input.user_agent ?? null },
        }))
      )
      emitPaymentDeskEventsStep(transform({ recorded }, ({ recorded }) => ({ events: recorded.events, immediate: true })))
      return recorded
    })
    releaseOrderLockStep(lock)
    const line = markBankTransactionRecordedStep(
      transform({ input, refund_request }, ({ input, refund_request }) => ({
        bank_transaction_id: input.bank_transaction_id,
        refund_request_id: refund_request.id as string,
      }))
    )
    return new WorkflowResponse({
      bank_transaction: line,
      refund_request: transform({ paid, refund_request }, ({ paid, refund_request }) => paid?.refund_request ?? refund_request),
    })
  }
)
