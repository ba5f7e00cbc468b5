import { MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { PaymentDeskEvents, RefundEventData } from "../events"
import type { ActorType } from "../modules/payment-desk/models/audit-entry"
import type { CreateAuditEntryStepInput } from "../workflows/steps/create-audit-entries"

/** A ledger row as the outcome needs it. */
export type RefundRowLike = {
  id: string
  order_id: string
  payment_id: string
  amount: BigNumberInput
  currency_code: string
  status: string
  last_error?: string | null
  note?: string | null
  provider_refund_id?: string | null
}

export type RefundContext = {
  actor: { type: ActorType; id?: string | null; email?: string | null }
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
}

/**
 * The audit entries and events a refund's change of status produces: what a
 * merchant reads in the timeline and what subscribers hear.
 */
export function refundOutcome(
  row: RefundRowLike,
  previousStatus: string | null,
  context: RefundContext,
  extra: { requested?: boolean; retried?: boolean } = {}
): { audit: CreateAuditEntryStepInput[]; events: { name: string; data: RefundEventData }[] } {
  const amount = MathBN.convert(row.amount).toNumber()
  const entry = (action: string, note: string | null = null): CreateAuditEntryStepInput => ({
    order_id: row.order_id,
    payment_id: row.payment_id,
    action,
    actor_type: context.actor.type,
    actor_id: context.actor.id ?? null,
    actor_email: context.actor.email ?? null,
    amount,
    currency_code: row.currency_code,
    reference: row.provider_refund_id ?? null,
    note,
    ip: context.ip ?? null,
    user_agent: context.user_agent ?? null,
    idempotency_key: context.idempotency_key ?? null,
    metadata: { refund_request_id: row.id, status: row.status, previous_status: previousStatus },
  })
  const event = (name: string): { name: string; data: RefundEventData } => ({
    name,
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

  const audit: CreateAuditEntryStepInput[] = []
  const events: { name: string; data: RefundEventData }[] = []
  if (extra.requested) {
    audit.push(entry("refund_requested", row.note ?? null))
    events.push(event(PaymentDeskEvents.REFUND_REQUESTED))
  }
  if (extra.retried) {
    audit.push(entry("refund_retried"))
  }
  const changed = previousStatus !== row.status
  if (!changed && !extra.requested && !extra.retried) {
    return { audit, events }
  }
  switch (row.status) {
    case "succeeded":
      audit.push(entry("refund_succeeded"))
      events.push(event(PaymentDeskEvents.REFUND_SUCCEEDED))
      break
    case "failed":
      audit.push(entry("refund_failed", row.last_error ?? null))
      events.push(event(PaymentDeskEvents.REFUND_FAILED))
      if (previousStatus === "succeeded") {
        // The money came back after all: someone must look.
        audit.push(entry("refund_needs_attention", "The refund failed after it had succeeded"))
        events.push(event(PaymentDeskEvents.REFUND_NEEDS_ATTENTION))
      }
      break
    case "requires_action":
      audit.push(entry("refund_needs_attention", row.last_error ?? null))
      events.push(event(PaymentDeskEvents.REFUND_NEEDS_ATTENTION))
      break
    case "awaiting_payout":
      audit.push(entry("refund_awaiting_payout"))
      break
    case "pending":
      if (row.last_error) {
        audit.push(entry("refund_outcome_unknown", row.last_error))
      }
      break
  }
  return { audit, events }
}
