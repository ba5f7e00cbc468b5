import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { RefundRequestRow } from "../../../modules/payment-desk/models/refund-request"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { attemptsOf, withAnswer } from "../../../utils/refunds/attempt-log"
import { gatewayFor, GatewayAnswer, ProviderListing } from "../../../utils/refunds/gateways"
import { refundOutcome } from "../../../utils/refunds/outcome"

/**
 * What reconciliation does with a row:
 * - `settle`: the provider has the attempt; apply its verdict;
 * - `resend`: the provider verifiably has no refund for the attempt; send a new one (with a new key);
 * - `canceled`: the row was never dispatched (its run died first); it is canceled;
 * - `wait`: nothing to decide yet; looked at again later;
 * - `none`: the row is not waiting for a provider.
 */
export type RefundCheck = {
  action: "settle" | "resend" | "canceled" | "wait" | "none"
  answer: GatewayAnswer | null
  refund_request: RefundRequestRow
  unknown_refunds: string[]
}

/** Input of `checkRefundAtProviderStep`. */
export type CheckRefundAtProviderStepInput = {
  refund_request_id: string
  /** The payment's refunds as listed earlier in this reconciliation run (used only if newer than the attempt's dispatch). */
  listing?: ProviderListing | null
}

export const checkRefundAtProviderStepId = "check-refund-at-provider"

/** The actor of reconciliation's audit facts. */
export const RECONCILIATION = { type: "system" as const, id: "reconciliation" }

/**
 * Asks the row's provider how its current attempt ended (Stripe: by the
 * ledger id and attempt in the refund's metadata; the payment module:
 * Medusa's refund rows carrying them) and records the small decisions that
 * need no provider call: an attempt verified absent, a never-dispatched row
 * canceled, or the next look pushed back so no pending row starves the rest.
 */
export const checkRefundAtProviderStep = createStep(
  checkRefundAtProviderStepId,
  async (input: CheckRefundAtProviderStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const done = (check: Omit<RefundCheck, "unknown_refunds"> & { unknown_refunds?: string[] }) =>
      new StepResponse<RefundCheck>({ unknown_refunds: [], ...check })
    if (row.status !== "pending" && row.status !== "requires_action") {
      return done({ action: "none", answer: null, refund_request: row })
    }
    const { reconcileAfterMinutes } = desk.getOptions().refunds
    const later = new Date(Date.now() + reconcileAfterMinutes * 60_000)
    if (row.status === "pending" && row.attempts === 0) {
      const patch = { last_error: "Canceled: its run stopped before the provider was called", settled_at: new Date(), next_attempt_at: null }
      const canceled = await desk.transitionRefundRequest({
        id: row.id,
        from: ["pending"],
        to: "canceled",
        attempts: 0,
        patch,
        audit: refundOutcome({ ...row, ...patch, status: "canceled" }, "pending", { actor: RECONCILIATION }).audit,
      })
      return done({ action: canceled ? "canceled" : "none", answer: null, refund_request: canceled?.row ?? row })
    }
    const ledger = await desk.listRefundRequests({ payment_id: row.payment_id })
    const finding = await gatewayFor(row.provider_id).find(container, row, ledger, input.listing ?? null)
    if (finding.answer) {
      return done({ action: "settle", answer: finding.answer, refund_request: row, unknown_refunds: finding.unknown_refunds })
    }
    const last = attemptsOf(row.attempt_log).at(-1)
    if (row.status === "pending" && (!last || last.outcome === "unknown")) {
      // Verified absent after the wait: the attempt never reached the
      // provider. Recorded so the next attempt gets a key of its own (the
      // provider would only replay the stored error for the old one).
      const marked = await desk.transitionRefundRequest({
        id: row.id,
        from: ["pending"],
        to: "pending",
        attempts: row.attempts,
        patch: { attempt_log: withAnswer(row.attempt_log, row.attempts, null, "absent") },
      })
      if (marked) {
        return done({ action: "resend", answer: null, refund_request: marked.row, unknown_refunds: finding.unknown_refunds })
      }
    }
    const pushed = await desk.transitionRefundRequest({
      id: row.id,
      from: [row.status],
      to: row.status,
      attempts: row.attempts,
      patch: { next_attempt_at: later },
    })
    return done({ action: "wait", answer: null, refund_request: pushed?.row ?? row, unknown_refunds: finding.unknown_refunds })
  }
  // No compensation: each write is a guarded, final fact about the attempt.
)
