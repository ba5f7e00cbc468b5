import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { PlannedSepaExport, sepaFileOf } from "./plan-sepa-export"

/** Input of {@link claimPayoutExportStep}. */
export type ClaimPayoutExportStepInput = {
  plan: PlannedSepaExport
  actor: { type: "user" | "customer" | "system"; id: string | null; email: string | null }
  ip?: string | null
  user_agent?: string | null
}

export const claimPayoutExportStepId = "claim-payout-export"

/**
 * Marks the planned refunds exported and records the export with its audit
 * entries (one transaction, a compare-and-set per refund): a refund another
 * export took at the same moment is left out of this file, and when none is
 * left the export is refused with 409. Answers the file of what it claimed.
 */
export const claimPayoutExportStep = createStep(
  claimPayoutExportStepId,
  async (input: ClaimPayoutExportStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const { plan } = input
    const claimed = await desk.claimPayoutExport({
      id: plan.id,
      message_id: plan.message_id,
      re_export_of: plan.re_export_of,
      execution_date: plan.execution_date,
      currency_code: "eur",
      actor: input.actor,
      ip: input.ip ?? null,
      user_agent: input.user_agent ?? null,
      payments: plan.payouts.map((payout) => ({
        refund_request_id: payout.refund_request_id,
        payout_account: payout.payout_account,
        payment: payout.payment as unknown as Record<string, unknown> & { amount: string },
      })),
    })
    if (!claimed) {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        "The refunds of this SEPA file went into another file or changed at the same moment: nothing was exported; download again"
      )
    }
    const taken = new Set(claimed.refund_request_ids)
    const payouts = plan.payouts.filter((payout) => taken.has(payout.refund_request_id))
    const lost = plan.payouts
      .filter((payout) => !taken.has(payout.refund_request_id))
      .map((payout) => ({
        refund_request_id: payout.refund_request_id,
        code: "taken" as const,
        reason: "it went into another SEPA file or changed at the same moment",
        order_id: payout.order_id,
        amount: payout.payment.amount,
        currency_code: payout.payment.currency_code,
      }))
    // The plan built the file with every payout already, so a file of some of them cannot fail.
    const xml = sepaFileOf(plan, payouts)
    return new StepResponse({ xml, payout_export: claimed.payout_export, skipped: [...plan.skipped, ...lost] })
  }
  // No compensation: the export is handed out with this answer; exporting its refunds again is an explicit re-export.
)
