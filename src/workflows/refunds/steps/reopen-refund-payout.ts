import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { refundAuditBase, type RefundContext } from "../../../utils/refunds/outcome"
import type { SystemNote } from "../../../utils/notes/system-notes"

/** Input of {@link reopenRefundPayoutStep}. */
export type ReopenRefundPayoutStepInput = {
  refund_request_id: string
  /** What the bank returned, in the refund's currency: it must be the whole payout. */
  amount: number | string
  currency_code: string
  /** The bank line that returned it (kept with the audit entry). */
  reference: string
  note?: string | null
  /** The plugin's own note on the return (the bank statement line that shows it). */
  system_note?: SystemNote | null
  context: RefundContext
}

/** How many times a refund's payout came back, kept in its metadata (`payout_returns`). */
export const payoutReturnsOf = (row: { metadata?: Record<string, unknown> | null }) =>
  Number((row.metadata as { payout_returns?: number } | null)?.payout_returns ?? 0)

export const reopenRefundPayoutStepId = "reopen-refund-payout"

/**
 * Reopens a manual refund whose payout the bank sent back: `succeeded` →
 * `awaiting_payout` once (a compare-and-set; a second try is refused), the
 * payout reference and its SEPA export cleared, an audit entry `refund_payout_returned` written
 * in the same transaction. The refund is then paid out again (a new SEPA file
 * or a recorded payout).
 */
export const reopenRefundPayoutStep = createStep(
  reopenRefundPayoutStepId,
  async (input: ReopenRefundPayoutStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    if (row.status !== "succeeded" || !row.payout_reference) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Refund ${row.id} is ${row.status}${row.status === "succeeded" ? " without a recorded payout" : ""}: only a paid-out manual refund can have its payout returned`
      )
    }
    const currency = row.currency_code.toUpperCase()
    if (String(input.currency_code).toUpperCase() !== currency || !MathBN.eq(row.amount as never, input.amount)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `The line returns ${MathBN.convert(input.amount).toString()} ${String(input.currency_code).toUpperCase()}, the refund paid out ${MathBN.convert(row.amount as never).toString()} ${currency}: only a whole payout is reopened`
      )
    }
    const returns = payoutReturnsOf(row) + 1
    const updated = await desk.transitionRefundRequest({
      id: row.id,
      from: ["succeeded"],
      to: "awaiting_payout",
      patch: {
        payout_reference: null,
        // Paid out again: the next SEPA export carries it, and its payee may be corrected first.
        payout_export_id: null,
        settled_at: null,
        metadata: { ...((row.metadata as Record<string, unknown> | null) ?? {}), payout_returns: returns },
      },
      audit: [
        {
          ...refundAuditBase(row, input.context, "refund_payout_returned"),
          reference: input.reference,
          note: input.note ?? null,
          dedupe_key: `${row.id}:payout_returned:${returns}`,
          metadata: {
            refund_request_id: row.id,
            status: "awaiting_payout",
            previous_status: "succeeded",
            payout_reference: row.payout_reference,
            ...(input.system_note ? { system_note: input.system_note } : {}),
          },
        },
      ],
    })
    if (!updated) {
      const now = await desk.retrieveRefundRequest(row.id)
      throw new MedusaError(MedusaError.Types.CONFLICT, `Refund ${row.id} is ${now.status} now: its returned payout was not recorded`)
    }
    return new StepResponse({ refund_request: updated.row })
  }
  // No compensation: the bank says the money came back; the audit entry went with it.
)
