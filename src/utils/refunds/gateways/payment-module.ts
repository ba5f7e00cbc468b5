import type { MedusaContainer } from "@medusajs/framework/types"
import { MathBN, Modules } from "@medusajs/framework/utils"
import type { RefundRequestRow } from "../../../modules/payment-desk/models/refund-request"
import { methodFromProviderId } from "../../../providers/manual-payment/options"
import type { GatewayAnswer, RefundGateway } from "./types"
import { medusaRefundNote } from "../../notes/system-notes"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

type RefundWithMetadata = { id: string; amount: unknown; metadata?: Record<string, unknown> | null }

/** Medusa's refund row this ledger attempt made, found by the ledger id and attempt in its metadata. */
export async function findMedusaRefundOf(
  container: MedusaContainer,
  row: Pick<RefundRequestRow, "id" | "payment_id" | "attempts">
): Promise<RefundWithMetadata | null> {
  const refunds = (await container
    .resolve(Modules.PAYMENT)
    .listRefunds({ payment_id: row.payment_id }, { select: ["id", "amount", "metadata"] })) as RefundWithMetadata[]
  return (
    refunds.find(
      (refund) =>
        refund.metadata?.refund_request_id === row.id && String(refund.metadata?.attempt ?? "") === String(row.attempts)
    ) ?? null
  )
}

/** A manual method moves no money: the provider records it, the merchant pays it out. */
const recordedOutcome = (row: RefundRequestRow) => (methodFromProviderId(row.provider_id) ? "recorded" : "succeeded")

/**
 * Any provider but Stripe, manual methods included: Medusa's payment module
 * `refundPayment` (its payment-row lock, its Refund row, its provider call
 * with the refund's id as key, its payment collection totals), with the
 * ledger id and attempt in the Refund's metadata so `find` recognises it.
 */
export const paymentModuleGateway: RefundGateway = {
  name: "payment-module",
  async send(container, row) {
    const request = {
      payment_id: row.payment_id,
      amount: MathBN.convert(row.amount).toNumber(),
      created_by: row.requested_by_id ?? undefined,
      note: medusaRefundNote(row, container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().notifications.language) ?? undefined,
      refund_reason_id: row.refund_reason_id ?? undefined,
      metadata: { recorded_by: "medusa-payment-desk", refund_request_id: row.id, attempt: row.attempts },
    }
    try {
      await container.resolve(Modules.PAYMENT).refundPayment(request)
    } catch (error) {
      // Medusa deletes its Refund row when the provider throws; one that
      // survived means the provider took it and a later write failed.
      const made = await findMedusaRefundOf(container, row).catch(() => null)
      if (!made) {
        const message = (error as Error)?.message ?? String(error)
        return { outcome: "failed", message: `The provider refused the refund: ${message}`, request, error: { message } }
      }
    }
    const refund = await findMedusaRefundOf(container, row)
    if (!refund) {
      return { outcome: "unknown", message: "Medusa's refund row could not be read back", request }
    }
    return { outcome: recordedOutcome(row), medusa_refund_id: refund.id, request, response: { refund_id: refund.id } }
  },
  async find(container, row) {
    const refund = await findMedusaRefundOf(container, row)
    const answer: GatewayAnswer | null = refund
      ? { outcome: recordedOutcome(row), medusa_refund_id: refund.id, response: { refund_id: refund.id } }
      : null
    return { answer, unknown_refunds: [] }
  },
}
