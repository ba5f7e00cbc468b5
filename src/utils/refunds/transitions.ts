import type { RefundStatus } from "../../modules/payment-desk/models/refund-request"

/**
 * Every status change a ledger row may make; anything else is refused.
 * - pending: written, then dispatched; the outcome may be unknown.
 * - failed → pending: a retry (a new attempt with a new provider key).
 * - succeeded → failed: the provider reported a late failure.
 * - awaiting_payout → succeeded: the merchant paid a manual refund out.
 * - succeeded → awaiting_payout: the bank returned a manual refund's payout.
 * - canceled: only a row never dispatched (nothing reached a provider).
 */
export const REFUND_TRANSITIONS: Readonly<Record<RefundStatus, readonly RefundStatus[]>> = {
  pending: ["pending", "succeeded", "failed", "requires_action", "awaiting_payout", "canceled"],
  requires_action: ["pending", "succeeded", "failed", "requires_action"],
  failed: ["pending"],
  awaiting_payout: ["succeeded"],
  succeeded: ["failed", "awaiting_payout"],
  canceled: [],
}

/** Whether the ledger allows `from` → `to`. */
export const canTransition = (from: RefundStatus, to: RefundStatus) => REFUND_TRANSITIONS[from].includes(to)

/**
 * What a provider said about one attempt:
 * - `succeeded`: the money left (card refunds);
 * - `recorded`: the provider booked it but moves no money (manual methods: the merchant pays out);
 * - `pending` / `requires_action`: accepted, not final;
 * - `failed`: definitely refused, failed or canceled;
 * - `unknown`: no answer (timeout, 5xx, lost connection): it may or may not have happened.
 */
export type ProviderOutcome = "succeeded" | "recorded" | "pending" | "requires_action" | "failed" | "unknown"

/** The knobs `nextState` reads (plugin option `refunds`). */
export type RefundPolicy = {
  now: Date
  reconcileAfterMinutes: number
  retryBackoffMinutes: number
  maxAttempts: number
}

/** The ledger fields `nextState` reads. */
export type RefundStateInput = {
  status: RefundStatus
  attempts: number
  requested_by_type: "user" | "customer" | "system"
}

/** Where a row goes: its status and when reconciliation or the retry job looks at it next. */
export type NextRefundState = {
  status: RefundStatus
  next_attempt_at: Date | null
  settled: boolean
}

const minutes = (now: Date, m: number) => new Date(now.getTime() + m * 60_000)

/**
 * The state a row moves to on a provider outcome, or null when the ledger
 * refuses the move (a late `pending` for a settled row, a verdict for a
 * canceled one). Pure: the caller writes it with a compare-and-set from the
 * row's current status.
 */
export function nextState(row: RefundStateInput, outcome: ProviderOutcome, policy: RefundPolicy): NextRefundState | null {
  const settle = (status: RefundStatus): NextRefundState => ({ status, next_attempt_at: null, settled: true })
  const check = (status: RefundStatus): NextRefundState => ({
    status,
    next_attempt_at: minutes(policy.now, policy.reconcileAfterMinutes),
    settled: false,
  })
  let target: NextRefundState
  switch (outcome) {
    case "succeeded":
      target = settle("succeeded")
      break
    case "recorded":
      target = { status: "awaiting_payout", next_attempt_at: null, settled: false }
      break
    case "pending":
    case "unknown":
      target = check("pending")
      break
    case "requires_action":
      target = check("requires_action")
      break
    case "failed":
      if (row.status === "succeeded") {
        // A late failure of money that had left: it came back; someone looks.
        target = settle("failed")
      } else if (row.requested_by_type === "system" && row.attempts < policy.maxAttempts) {
        // The system's own refunds (closures) are tried again with backoff.
        target = {
          status: "failed",
          next_attempt_at: minutes(policy.now, policy.retryBackoffMinutes * 2 ** Math.max(0, row.attempts - 1)),
          settled: true,
        }
      } else if (row.requested_by_type === "system") {
        target = { status: "requires_action", next_attempt_at: null, settled: false }
      } else {
        target = settle("failed")
      }
      break
  }
  if (row.status === target.status && target.status !== "pending" && target.status !== "requires_action") {
    return null
  }
  return canTransition(row.status, target.status) ? target : null
}

/** One attempt as the ledger remembers it: its provider key and how it ended. */
export type AttemptRecord = { attempt: number; provider_key: string; outcome: ProviderOutcome | "absent" }

/**
 * The provider idempotency key of the next attempt: the row's own key for
 * the first; the very key of the last attempt only while that attempt's
 * outcome is unknown (so the provider answers with that refund instead of
 * making a second one); a new derived key after any settled outcome (a
 * failure, a success that later failed, a refund verified absent), because a
 * provider replays its first answer for a reused key.
 */
export function providerKeyFor(baseKey: string, attempts: AttemptRecord[]): string {
  const last = attempts[attempts.length - 1]
  if (!last) {
    return baseKey
  }
  if (last.outcome === "unknown") {
    return last.provider_key
  }
  return `${baseKey}:attempt-${last.attempt + 1}`
}

/**
 * Whether a provider's answer is about another attempt than the row's
 * current one (its attempt number, or its refund id, differs): such a verdict
 * changes nothing.
 */
export function isStaleAnswer(
  row: { attempts: number; provider_refund_id?: string | null },
  answer: { attempt?: number | null; provider_refund_id?: string | null }
): boolean {
  return (
    (answer.attempt != null && answer.attempt !== row.attempts) ||
    (!!answer.provider_refund_id && !!row.provider_refund_id && answer.provider_refund_id !== row.provider_refund_id)
  )
}
