import { MathBN } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { AuditEntryRow } from "../../modules/payment-desk/models/audit-entry"
import type { BankTransactionStatus } from "../../modules/payment-desk/models/bank-transaction"
import { recordPaymentWorkflow } from "../receipts/record-payment"
import { recordRefundPayoutWorkflow } from "../refunds/record-refund-payout"
import { reopenRefundPayoutWorkflow } from "../refunds/reopen-refund-payout"
import { bankReceiptInput } from "./utils/bank-receipt"
import { claimBankTransactionStep } from "./steps/claim-bank-transaction"
import { markBankTransactionRecordedStep } from "./steps/mark-bank-transaction-recorded"
import { planBankReceiptStep } from "./steps/plan-bank-receipt"
import { validateBankPayoutStep } from "./steps/validate-bank-payout"
import { refuseUnbookableDebitStep } from "./steps/refuse-unbookable-debit"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"
import { systemNote } from "../../utils/notes/system-notes"

/** Input of `recordBankTransactionWorkflow`. */
export type RecordBankTransactionWorkflowInput = {
  bank_transaction_id: string
  /** `review` (default) when a person confirms a line; `matched` when the import records its exact matches. */
  from?: BankTransactionStatus[]
  /** Another order than the suggested one (a person's pick). */
  order_id?: string | null
  note?: string | null
  actor: Actor
  /** Whether a person decided (kept on the line for the audit: who, when, note). */
  decided?: boolean
  /**
   * Whether the caller holds the refund permission: a debit books a refund's
   * payout only then (default false: the line stays for someone who has it).
   */
  may_record_payouts?: boolean
  ip?: string | null
  user_agent?: string | null
}

export const recordBankTransactionWorkflowId = "payment-desk-record-bank-transaction"

/**
 * Books one bank statement line: a credit as a receipt on its order through
 * `recordPaymentWorkflow` (under the order's lock, at most what the order
 * owes, the payer's name and IBAN kept with the receipt, once per line
 * ever), a debit as the payout of the refund its end-to-end id names
 * through `recordRefundPayoutWorkflow`; then marks the line `recorded`.
 * If booking fails the line goes back to where it was.
 */
export const recordBankTransactionWorkflow = createWorkflow(
  recordBankTransactionWorkflowId,
  (input: WorkflowData<RecordBankTransactionWorkflowInput>) => {
    const actor = resolveActorStep(input.actor)
    const claimed = claimBankTransactionStep(
      transform({ input, actor }, ({ input, actor }) => ({
        bank_transaction_id: input.bank_transaction_id,
        from: input.from ?? (["review"] as BankTransactionStatus[]),
        order_id: input.order_id ?? null,
        decision: input.decided
          ? { actor_id: actor.id ?? null, actor_email: actor.email ?? null, note: input.note ?? null }
          : null,
      }))
    )

    const receipt = when("credit-to-book", { claimed }, ({ claimed }) =>
      claimed.line.direction === "credit" && !claimed.line.refund_request_id && !claimed.recorded_audit_entry_id
    ).then(() => {
      const plan = planBankReceiptStep(transform({ claimed }, ({ claimed }) => ({ line: claimed.line })))
      const recorded = recordPaymentWorkflow.runAsStep({
        input: transform({ input, claimed, plan, actor }, ({ input, claimed, plan, actor }) =>
          bankReceiptInput(claimed.line, plan, { actor, note: input.note, ip: input.ip, user_agent: input.user_agent })
        ),
      })
      return transform({ recorded, plan }, ({ recorded, plan }) => ({
        audit_entry_id: (recorded.audit_entry as AuditEntryRow).id,
        excess_amount: plan.excess_amount,
      }))
    })

    const payout = when("debit-to-book", { claimed }, ({ claimed }) =>
      claimed.line.direction === "debit" && !!claimed.line.refund_request_id
    ).then(() => {
      validateBankPayoutStep(
        transform({ input, claimed }, ({ input, claimed }) => ({
          line: claimed.line,
          may_record_payouts: input.may_record_payouts === true,
        }))
      )
      const paid = recordRefundPayoutWorkflow.runAsStep({
        input: transform({ input, claimed, actor }, ({ input, claimed, actor }) => ({
          refund_request_id: claimed.line.refund_request_id as string,
          reference: claimed.line.bank_transaction_id ?? claimed.line.end_to_end_id ?? claimed.line.id,
          paid_at: new Date(claimed.line.booking_date as unknown as string).toISOString(),
          system_note: systemNote("bank_payout", { line: claimed.line.line }).system_note,
          actor,
          ip: input.ip ?? null,
          user_agent: input.user_agent ?? null,
        })),
      })
      return transform({ paid }, ({ paid }) => ({ refund_request_id: paid.refund_request.id as string }))
    })

    when("debit-without-refund", { claimed }, ({ claimed }) =>
      claimed.line.direction === "debit" && !claimed.line.refund_request_id
    ).then(() => {
      refuseUnbookableDebitStep(transform({ claimed }, ({ claimed }) => ({ line: claimed.line })))
    })

    // A credit naming a refund: the bank returned its payout; the refund awaits a payout again.
    const returned = when("payout-returned", { claimed }, ({ claimed }) =>
      claimed.line.direction === "credit" && !!claimed.line.refund_request_id
    ).then(() => {
      validateBankPayoutStep(
        transform({ input }, ({ input }) => ({ line: null, may_record_payouts: input.may_record_payouts === true }))
      ).config({ name: "validate-returned-payout" })
      const reopened = reopenRefundPayoutWorkflow.runAsStep({
        input: transform({ input, claimed, actor }, ({ input, claimed, actor }) => ({
          refund_request_id: claimed.line.refund_request_id as string,
          amount: MathBN.convert(claimed.line.amount as never).toString(),
          currency_code: claimed.line.currency_code,
          reference: claimed.line.bank_transaction_id ?? claimed.line.end_to_end_id ?? claimed.line.id,
          note: input.note ?? null,
          system_note: systemNote("bank_payout_returned", { line: claimed.line.line }).system_note,
          actor,
          ip: input.ip ?? null,
          user_agent: input.user_agent ?? null,
        })),
      })
      return transform({ reopened }, ({ reopened }) => ({ refund_request_id: reopened.refund_request.id as string }))
    })

    const line = markBankTransactionRecordedStep(
      transform({ input, claimed, receipt, payout, returned }, ({ input, claimed, receipt, payout, returned }) => ({
        bank_transaction_id: input.bank_transaction_id,
        audit_entry_id: receipt?.audit_entry_id ?? claimed.recorded_audit_entry_id ?? null,
        refund_request_id: payout?.refund_request_id ?? returned?.refund_request_id ?? null,
        ...(receipt ? { excess_amount: receipt.excess_amount } : {}),
      }))
    )
    return new WorkflowResponse({ bank_transaction: line })
  }
)
