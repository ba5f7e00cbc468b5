import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import { buildSepaCreditTransfer } from "../../../utils/refunds/sepa-payout-file"
import { sepaName } from "../../../utils/refunds/sepa-name"
import type { StoreBankAccount } from "../../../utils/bank-transfer/store-accounts"
import {
  collectSepaPayouts,
  collectSepaReExport,
  describeSkippedPayouts,
  exportableSepaPayouts,
  PlannedSepaPayout,
  skippedPayoutsText,
  type SkippedSepaPayout,
} from "../../../utils/refunds/sepa-payouts"

/** Input of {@link planSepaExportStep}. */
export type PlanSepaExportStepInput = {
  /** An earlier export to pay again (an explicit re-export); else the refunds no export holds yet. */
  re_export_of?: string | null
  execution_date?: string | null
}

/** A checked SEPA file ready to be claimed: the new export's id and message id, the payer account, the transfers, and what was left out. */
export type PlannedSepaExport = {
  id: string
  message_id: string
  re_export_of: string | null
  execution_date: string
  created_at: string
  debtor: StoreBankAccount
  payouts: PlannedSepaPayout[]
  skipped: SkippedSepaPayout[]
}

export const planSepaExportStepId = "plan-sepa-export"

/**
 * Plans a SEPA payout file: the refunds it pays (awaiting payout in no
 * export, or an earlier export's again), the store account paying them, a
 * new export id and message id, and the whole file built once, so a bad
 * payee is refused (400) before any refund is marked.
 */
export const planSepaExportStep = createStep(planSepaExportStepId, async (input: PlanSepaExportStepInput, { container }) => {
  const batch = exportableSepaPayouts(
    input.re_export_of ? await collectSepaReExport(container, input.re_export_of) : await collectSepaPayouts(container)
  )
  const { debtor, payouts, skipped } = batch
  if (!payouts.length) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      skipped.length
        ? // Said by order number and customer, never by ids or field names.
          `No refund awaiting payout can go into a SEPA file: ${skippedPayoutsText(await describeSkippedPayouts(container, skipped))}`
        : "No refund is awaiting payout that is not in a SEPA file already; to pay an earlier file's refunds again, export that file again"
    )
  }
  if (!debtor) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "No EUR bank account is configured on a manual payment method (accounts option) to pay the refunds from"
    )
  }
  const id = generateEntityId(undefined, "pdpex")
  const now = new Date()
  const plan: PlannedSepaExport = {
    id,
    // SEPA ids allow no underscore; the export's own id keeps every file's message id unique.
    message_id: `PD-${id.slice("pdpex_".length)}`,
    re_export_of: input.re_export_of ?? null,
    execution_date: input.execution_date ?? now.toISOString().slice(0, 10),
    created_at: now.toISOString(),
    debtor,
    payouts,
    skipped,
  }
  sepaFileOf(plan, payouts)
  return new StepResponse(plan)
})

/** The pain.001 file of a planned export paying the given payouts (a {@link SepaPayoutError} 400 for a bad one). */
export function sepaFileOf(plan: PlannedSepaExport, payouts: PlannedSepaPayout[]): string {
  return buildSepaCreditTransfer({
    message_id: plan.message_id,
    created_at: new Date(plan.created_at),
    execution_date: plan.execution_date,
    debtor: { name: sepaName(plan.debtor.account_holder).name ?? plan.debtor.account_holder, iban: plan.debtor.iban, bic: plan.debtor.bic },
    payments: payouts.map((payout) => payout.payment),
  })
}
