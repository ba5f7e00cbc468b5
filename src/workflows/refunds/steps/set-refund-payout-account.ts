import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import type { StoredPayoutAccount } from "../../../modules/payment-desk/payout-exports"
import type { RefundRequestRow } from "../../../modules/payment-desk/models/refund-request"
import { payoutAccountOf } from "../../../utils/refunds/sepa-payouts"
import { maskIban } from "../../../utils/settings/payment-desk-settings"
import { refundAuditBase, type RefundContext } from "../../../utils/refunds/outcome"

/** Input of {@link setRefundPayoutAccountStep}. */
export type SetRefundPayoutAccountStepInput = {
  refund_request_id: string
  payout_account: StoredPayoutAccount
  context: RefundContext
}

export const setRefundPayoutAccountStepId = "set-refund-payout-account"

const masked = (account: StoredPayoutAccount | null) =>
  account ? { name: account.name, iban_masked: maskIban(account.iban), bic: account.bic ?? null } : null

/** Why a refund's payee cannot change: exported (409), or not awaiting payout (400). */
function refusal(row: RefundRequestRow): MedusaError {
  if (row.status !== "awaiting_payout") {
    return new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Refund ${row.id} is ${row.status}: only a refund awaiting payout can have its payout account set`
    )
  }
  if (row.payout_export_id) {
    return new MedusaError(
      MedusaError.Types.CONFLICT,
      `Refund ${row.id} is in SEPA export ${row.payout_export_id} already: its payout account can no longer change (record its payout, or wait for the bank to return it)`
    )
  }
  return new MedusaError(MedusaError.Types.CONFLICT, `Refund ${row.id} changed while its payout account was being set: nothing was changed, try again`)
}

/**
 * Adds or corrects the account a manual refund is paid out to, with a
 * compare-and-set: only while it awaits payout and is in no SEPA export
 * (then `409`), and only over the account it was read with; an audit entry
 * `refund_payout_account_set` with the masked account before and after in
 * the same transaction.
 */
export const setRefundPayoutAccountStep = createStep(
  setRefundPayoutAccountStepId,
  async (input: SetRefundPayoutAccountStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = (await desk.retrieveRefundRequest(input.refund_request_id)) as unknown as RefundRequestRow
    if (row.status !== "awaiting_payout" || row.payout_export_id) {
      throw refusal(row)
    }
    const before = payoutAccountOf(row)
    const after: StoredPayoutAccount = { name: input.payout_account.name, iban: input.payout_account.iban, bic: input.payout_account.bic ?? null }
    const changed = await desk.setRefundPayoutAccount({
      id: row.id,
      expected: before,
      payout_account: after,
      audit: {
        ...refundAuditBase(row, input.context, "refund_payout_account_set"),
        metadata: { refund_request_id: row.id, before: masked(before), after: masked(after) },
      },
    })
    if (!changed) {
      throw refusal((await desk.retrieveRefundRequest(row.id)) as unknown as RefundRequestRow)
    }
    return new StepResponse({ refund_request: (await desk.retrieveRefundRequest(row.id)) as unknown as RefundRequestRow })
  }
  // No compensation: nothing runs after it; a later correction is another audited change.
)
