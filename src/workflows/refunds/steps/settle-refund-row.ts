import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { RefundRequestRow, RefundStatus } from "../../../modules/payment-desk/models/refund-request"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { withAnswer } from "../../../utils/refunds/attempt-log"
import { eventsOfWrittenFacts, refundOutcome, RefundContext } from "../../../utils/refunds/outcome"
import type { GatewayAnswer } from "../../../utils/refunds/gateways"
import { nextState, ProviderOutcome } from "../../../utils/refunds/transitions"
import type { BookedRefund } from "./book-refund"

export type SettleRefundRowStepInput = {
  refund_request_id: string
  /** What the provider said about the row's current attempt. */
  answer: GatewayAnswer
  /** The booking of a succeeded or recorded outcome; a failed booking keeps the row pending. */
  booked?: BookedRefund | null
  /** Medusa's books of an earlier success were taken back (a late failure). */
  reversed?: boolean
  /** The verdict is about an earlier attempt: nothing changes. */
  stale?: boolean
  /** A provider webhook event to mark handled in the same transaction as the change. */
  webhook_event?: { provider: string; event_id: string; type: string } | null
  /** Who caused the change, for its audit facts. */
  context: RefundContext
  /** The row's first attempt: its `refund_requested` fact is written with the outcome. */
  requested?: boolean
}

/** The row after the step, the status it had, whether this run changed it, and the events of its new facts. */
export type SettledRefundRow = {
  refund_request: RefundRequestRow
  previous_status: RefundStatus
  changed: boolean
  events: { name: string; data: Record<string, unknown> }[]
}

export const settleRefundRowStepId = "settle-refund-row"

/**
 * Moves a ledger row to what the provider said, with a compare-and-set from
 * the status it was read in, and writes the change's audit facts in the same
 * transaction (returning the events of the facts written now) (the ledger's transition rules decide, see
 * `nextState`): the loser of a race, or a verdict the rules refuse (a late
 * `pending` for a settled row), changes nothing. An outcome whose booking in
 * Medusa failed keeps the row `pending`, due for reconciliation.
 */
export const settleRefundRowStep = createStep(
  settleRefundRowStepId,
  async (input: SettleRefundRowStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const policy = { ...desk.getOptions().refunds, now: new Date() }
    const unbooked = input.booked?.booked === false
    const outcome: ProviderOutcome = unbooked ? "unknown" : input.answer.outcome
    const message = unbooked
      ? `The provider answered ${input.answer.outcome}, but booking it in Medusa failed (${input.booked?.error}); reconciliation completes it`
      : (input.answer.message ?? null)
    const target = input.stale ? null : nextState(row, outcome, policy)
    const unchanged = async (): Promise<SettledRefundRow> => {
      if (input.webhook_event) {
        await desk.markWebhookEventHandled(input.webhook_event)
      }
      return { refund_request: await desk.retrieveRefundRequest(row.id), previous_status: row.status, changed: false, events: [] }
    }
    if (!target) {
      return new StepResponse(await unchanged())
    }
    const medusaRefundId = input.reversed
      ? null
      : (input.booked?.medusa_refund_id ?? input.answer.medusa_refund_id ?? row.medusa_refund_id)
    const patch = {
      last_error: target.status === "succeeded" || target.status === "awaiting_payout" ? null : message,
      provider_refund_id: input.answer.provider_refund_id ?? row.provider_refund_id,
      medusa_refund_id: medusaRefundId,
      next_attempt_at: target.next_attempt_at,
      settled_at: target.settled ? policy.now : null,
    }
    const changed = target.status !== row.status || (target.status === "pending" && !!message && message !== row.last_error)
    // The change's audit facts are written in the same transaction as the change.
    const facts = refundOutcome({ ...row, ...patch, status: target.status }, row.status, input.context, {
      requested: input.requested,
      changed,
    })
    const updated = await desk.transitionRefundRequest({
      id: row.id,
      from: [row.status],
      to: target.status,
      attempts: row.attempts,
      patch: { ...patch, attempt_log: withAnswer(row.attempt_log, row.attempts, input.answer) },
      webhook_event: input.webhook_event ?? undefined,
      audit: facts.audit,
    })
    if (!updated) {
      return new StepResponse(await unchanged())
    }
    return new StepResponse<SettledRefundRow>({
      refund_request: updated.row,
      previous_status: row.status,
      changed,
      events: eventsOfWrittenFacts(facts, updated.written_facts),
    })
  }
  // No compensation: what the provider said is a fact; the row records it.
)
