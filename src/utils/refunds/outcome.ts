import { MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { PaymentDeskEvents, RefundEventData } from "../../events"
import type { ActorType, AuditEntryInput } from "../../modules/payment-desk/models/audit-entry"
import { systemNoteOf } from "../notes/system-notes"

/** A ledger row as the outcome needs it. */
export type RefundRowLike = {
  id: string
  order_id: string
  payment_id: string
  amount: BigNumberInput
  currency_code: string
  status: string
  attempts: number
  last_error?: string | null
  note?: string | null
  provider_refund_id?: string | null
  refund_reason_id?: string | null
  metadata?: unknown
}

/** Who acted, from where, with which Idempotency-Key. */
export type RefundContext = {
  actor: { type: ActorType; id?: string | null; email?: string | null }
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
}

/**
 * The fields every audit entry about a ledger row shares: its order,
 * payment, amount and currency, and who acted from where.
 */
export function refundAuditBase(
  row: Pick<RefundRowLike, "order_id" | "payment_id" | "amount" | "currency_code">,
  context: RefundContext,
  action: string
) {
  return {
    order_id: row.order_id,
    payment_id: row.payment_id,
    action,
    actor_type: context.actor.type,
    actor_id: context.actor.id ?? null,
    actor_email: context.actor.email ?? null,
    amount: MathBN.convert(row.amount).toNumber(),
    currency_code: row.currency_code,
    ip: context.ip ?? null,
    user_agent: context.user_agent ?? null,
    idempotency_key: context.idempotency_key ?? null,
  }
}

/** An event of a refund change, with the audit fact (dedupe key) it belongs to. */
export type RefundOutcomeEvent = { name: string; data: RefundEventData; fact: string }

/** The audit entries and events of one refund change. */
export type RefundOutcome = { audit: AuditEntryInput[]; events: RefundOutcomeEvent[] }

/**
 * The events whose audit fact was written now: an event goes out with the
 * first recording of its fact, so a retried or redelivered change never
 * emits it twice.
 */
export const eventsOfWrittenFacts = (outcome: RefundOutcome, written: string[]) =>
  outcome.events.filter((event) => written.includes(event.fact)).map(({ name, data }) => ({ name, data }))

/**
 * The audit entries and events a refund's change produces: what a merchant
 * reads in the timeline and what subscribers hear. Each entry carries a
 * dedupe key naming the fact (row, attempt, status), so a retried step writes
 * it once; events come only from the run that made the change (the winner of
 * its compare-and-set).
 */
export function refundOutcome(
  row: RefundRowLike,
  previousStatus: string | null,
  context: RefundContext,
  extra: { requested?: boolean; retried?: boolean; changed?: boolean } = {}
): RefundOutcome {
  const amount = MathBN.convert(row.amount).toNumber()
  const entry = (action: string, fact: string, note: string | null = null, withSystemNote = false): AuditEntryInput => ({
    ...refundAuditBase(row, context, action),
    reference: row.provider_refund_id ?? null,
    note,
    dedupe_key: `${row.id}:${fact}`,
    metadata: {
      refund_request_id: row.id,
      status: row.status,
      previous_status: previousStatus,
      attempt: row.attempts,
      refund_reason_id: row.refund_reason_id ?? null,
      // Why the plugin asked for this refund (e.g. "Order closed: …"), said in the reader's language.
      ...(withSystemNote && systemNoteOf(row.metadata) ? { system_note: systemNoteOf(row.metadata) } : {}),
    },
  })
  const event = (name: string, fact: string): RefundOutcomeEvent => ({
    name,
    fact: `${row.id}:${fact}`,
    data: {
      refund_request_id: row.id,
      order_id: row.order_id,
      payment_id: row.payment_id,
      amount,
      currency_code: row.currency_code,
      status: row.status,
      reason: row.last_error ?? null,
    },
  })

  const audit: AuditEntryInput[] = []
  const events: RefundOutcomeEvent[] = []
  if (extra.requested) {
    audit.push(entry("refund_requested", "requested", row.note ?? null, true))
    events.push(event(PaymentDeskEvents.REFUND_REQUESTED, "requested"))
  }
  if (extra.retried) {
    audit.push(entry("refund_retried", `retried:${row.attempts}`))
  }
  const changed = extra.changed ?? previousStatus !== row.status
  if (!changed) {
    return { audit, events }
  }
  const at = `${row.attempts}`
  switch (row.status) {
    case "succeeded":
      audit.push(entry("refund_succeeded", `${at}:succeeded`))
      events.push(event(PaymentDeskEvents.REFUND_SUCCEEDED, `${at}:succeeded`))
      break
    case "failed":
      audit.push(entry("refund_failed", `${at}:failed`, row.last_error ?? null))
      events.push(event(PaymentDeskEvents.REFUND_FAILED, `${at}:failed`))
      if (previousStatus === "succeeded") {
        // The money came back after all: someone must look.
        audit.push(entry("refund_needs_attention", `${at}:failed_after_success`, "The refund failed after it had succeeded"))
        events.push(event(PaymentDeskEvents.REFUND_NEEDS_ATTENTION, `${at}:failed_after_success`))
      }
      break
    case "requires_action":
      audit.push(entry("refund_needs_attention", `${at}:requires_action`, row.last_error ?? null))
      events.push(event(PaymentDeskEvents.REFUND_NEEDS_ATTENTION, `${at}:requires_action`))
      break
    case "awaiting_payout":
      audit.push(entry("refund_awaiting_payout", `${at}:awaiting_payout`))
      break
    case "pending":
      if (row.last_error) {
        audit.push(entry("refund_outcome_unknown", `${at}:unknown`, row.last_error))
      }
      break
    case "canceled":
      audit.push(entry("refund_canceled", "canceled", row.last_error ?? null))
      break
  }
  return { audit, events }
}
