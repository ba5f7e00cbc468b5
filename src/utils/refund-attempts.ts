import { MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { currencyDecimals } from "./payment-status"

/** How one provider call ended. */
export type AttemptOutcome = "succeeded" | "pending" | "requires_action" | "failed" | "ambiguous" | "recorded"

/** One attempt in a refund's `attempt_log`: the raw request and the provider's answer or error. */
export type RefundAttempt = {
  attempt: number
  at: string
  provider_key: string
  request: Record<string, unknown>
  response?: Record<string, unknown>
  error?: { type?: string; code?: string; status?: number; message: string }
  outcome: AttemptOutcome
}

export const attemptsOf = (log: unknown): RefundAttempt[] =>
  ((log as { attempts?: RefundAttempt[] } | null)?.attempts ?? []) as RefundAttempt[]

/**
 * The idempotency key to send for the next attempt: the refund's own key;
 * the very key of an attempt whose outcome is unknown (so the provider
 * answers with that refund instead of making a second one); a derived key
 * after a definite refusal, or once reconciliation has verified at the
 * provider that no refund was made (a provider replays its first answer,
 * errors included, for a reused key).
 */
export function providerKeyFor(
  baseKey: string,
  attempts: RefundAttempt[],
  options: { verifiedAbsent?: boolean } = {}
): string {
  const last = attempts[attempts.length - 1]
  if (!last) {
    return baseKey
  }
  if (options.verifiedAbsent) {
    return `${baseKey}:resend-${last.attempt + 1}`
  }
  if (last.outcome === "failed") {
    return `${baseKey}:retry-${last.attempt + 1}`
  }
  return last.provider_key
}

/** An amount in the currency's smallest unit (cents), as card processors take it. */
export function smallestUnit(amount: BigNumberInput, currencyCode: string): number {
  const factor = 10 ** currencyDecimals(currencyCode)
  return Math.round(MathBN.mult(amount, factor).toNumber())
}
