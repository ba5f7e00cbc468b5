import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type Stripe from "stripe"
import type { RefundRequestRow } from "../../../modules/payment-desk/models/refund-request"
import { toStripeAmount } from "../../stripe/amounts"
import { isAmbiguousStripeError, stripeClient } from "../../stripe/client"
import type { ProviderOutcome } from "../transitions"
import type { GatewayAnswer, ListedRefund, ProviderListing, RefundGateway } from "./types"

const errorOf = (error: unknown) => {
  const e = error as { type?: string; code?: string; statusCode?: number; message?: string }
  return { type: e?.type, code: e?.code, status: e?.statusCode, message: e?.message ?? String(error) }
}

/** A Stripe refund status as a provider outcome. */
export function outcomeOfStripeStatus(status: string | null | undefined): ProviderOutcome {
  switch (status) {
    case "succeeded":
      return "succeeded"
    case "failed":
    case "canceled":
      return "failed"
    case "requires_action":
      return "requires_action"
    default:
      return "pending"
  }
}

const answerOf = (refund: ListedRefund): GatewayAnswer => {
  const outcome = outcomeOfStripeStatus(refund.status)
  return {
    outcome,
    attempt: refund.metadata?.attempt ? Number(refund.metadata.attempt) : null,
    provider_refund_id: refund.id,
    message:
      outcome === "failed"
        ? `Stripe refund ${refund.status}: ${refund.failure_reason ?? "no reason given"}`
        : outcome === "requires_action"
          ? "Stripe needs an action before the refund can complete"
          : null,
    response: { id: refund.id, status: refund.status, amount: refund.amount, failure_reason: refund.failure_reason ?? null },
  }
}

/** The fields of a Stripe refund that reconciliation reads. */
const listedOf = (refund: Stripe.Refund): ListedRefund => ({
  id: refund.id,
  status: refund.status ?? null,
  amount: refund.amount,
  failure_reason: refund.failure_reason ?? null,
  metadata: (refund.metadata as Record<string, string> | null) ?? null,
})

/** How a paged Stripe list behaves under rate limits. */
export type StripeListPolicy = {
  /** Retries of one page after a 429 (then the list gives up); default 3. */
  maxRetries?: number
  /** First wait when Stripe sends no Retry-After, doubled each retry, with jitter; default 500 ms. */
  baseDelayMs?: number
  /** Longest single wait; default 5000 ms. */
  maxDelayMs?: number
  /** Called before every request (pages and retries alike); returning false stops the list (budget spent). */
  beforeCall?: () => boolean
  /** Called after each 429. */
  onRateLimited?: () => void
}

/** Thrown when a list stops before its last page (budget spent or still rate limited). */
export class StripeListIncomplete extends Error {
  constructor(readonly reason: "budget" | "rate_limited") {
    super(`Stripe refund list stopped: ${reason}`)
  }
}

const isRateLimit = (error: unknown) => {
  const e = error as { type?: string; statusCode?: number }
  return e?.statusCode === 429 || e?.type === "StripeRateLimitError"
}

/** Seconds Stripe asked us to wait (`Retry-After`), when it said. */
const retryAfterMs = (error: unknown): number | null => {
  const headers = (error as { headers?: Record<string, string | string[] | undefined> })?.headers
  const raw = headers?.["retry-after"]
  const value = Number(Array.isArray(raw) ? raw[0] : raw)
  return Number.isFinite(value) && value >= 0 ? value * 1000 : null
}

/**
 * Every refund on a payment intent, one `refunds.list` call per page of
 * 100; a 429 is retried after Stripe's `Retry-After` (or an exponential
 * wait with full jitter), at most `maxRetries` times a page, each wait
 * capped. `beforeCall` may stop the list when the run's budget is spent.
 */
export async function listStripeRefunds(
  container: MedusaContainer,
  paymentIntent: string,
  policy: StripeListPolicy = {}
): Promise<ProviderListing> {
  const { maxRetries = 3, baseDelayMs = 500, maxDelayMs = 5_000 } = policy
  if (!paymentIntent) {
    // Without an intent Stripe would list every refund of the account.
    throw new Error("The payment has no Stripe payment intent to list refunds of")
  }
  const stripe = stripeClient(container)
  const listedAt = new Date().toISOString()
  const refunds: ListedRefund[] = []
  let startingAfter: string | undefined
  for (;;) {
    let page: Stripe.ApiList<Stripe.Refund> | null = null
    for (let attempt = 0; !page; attempt++) {
      if (policy.beforeCall && !policy.beforeCall()) {
        throw new StripeListIncomplete("budget")
      }
      try {
        page = await stripe.refunds.list({ payment_intent: paymentIntent, limit: 100, starting_after: startingAfter })
      } catch (error) {
        if (!isRateLimit(error)) {
          throw error
        }
        policy.onRateLimited?.()
        if (attempt >= maxRetries) {
          throw new StripeListIncomplete("rate_limited")
        }
        const wait = retryAfterMs(error) ?? Math.random() * baseDelayMs * 2 ** attempt
        await new Promise((resolve) => setTimeout(resolve, Math.min(maxDelayMs, wait)))
      }
    }
    refunds.push(...page.data.map(listedOf))
    if (!page.has_more || !page.data.length) {
      return { listed_at: listedAt, refunds }
    }
    startingAfter = page.data[page.data.length - 1].id
  }
}

/** The Stripe payment intent of each payment (one query for all of them). */
export async function paymentIntentsOf(container: MedusaContainer, paymentIds: string[]): Promise<Map<string, string>> {
  if (!paymentIds.length) {
    return new Map()
  }
  const payments = await container
    .resolve(Modules.PAYMENT)
    .listPayments({ id: paymentIds }, { select: ["id", "data"], take: paymentIds.length })
  return new Map(payments.map((p) => [p.id, String((p.data as Record<string, unknown> | null)?.id ?? "")]))
}

async function paymentIntentOf(container: MedusaContainer, paymentId: string): Promise<string> {
  const payment = await container.resolve(Modules.PAYMENT).retrievePayment(paymentId, { select: ["id", "data"] })
  return String((payment.data as Record<string, unknown> | null)?.id ?? "")
}

/**
 * Stripe, called with the plugin's own client: the attempt's provider key
 * as Stripe's idempotency key, the amount in Stripe's minor unit, and
 * metadata naming the ledger row and attempt so `find` can recognise it.
 */
export const stripeGateway: RefundGateway = {
  name: "stripe",
  async send(container, row) {
    const request = {
      payment_intent: await paymentIntentOf(container, row.payment_id),
      amount: toStripeAmount(row.amount, row.currency_code),
      metadata: {
        refund_request_id: row.id,
        attempt: String(row.attempts),
        order_id: row.order_id,
        payment_id: row.payment_id,
      },
    }
    try {
      const refund = await stripeClient(container).refunds.create(request, { idempotencyKey: row.provider_key! })
      return { ...answerOf(listedOf(refund)), request }
    } catch (error) {
      const failure = errorOf(error)
      if (isAmbiguousStripeError(error)) {
        // Stripe may have taken it: the outcome is unknown until `find` says.
        return {
          outcome: "unknown",
          message: `Outcome unknown (${failure.type ?? "error"}): ${failure.message}`,
          request,
          error: failure,
        }
      }
      return {
        outcome: "failed",
        message: `Stripe refused the refund (${failure.code ?? failure.type ?? "error"}): ${failure.message}`,
        request,
        error: failure,
      }
    }
  },
  async find(container, row, ledger, listing) {
    // Every refund on the payment: this attempt's (by the ledger id and
    // attempt in its metadata, or its id) and any the ledger does not know.
    // A listing from this reconciliation run serves when it was taken after
    // the attempt was dispatched; otherwise Stripe is asked now.
    const fresh =
      listing && row.dispatched_at && new Date(listing.listed_at).getTime() >= new Date(row.dispatched_at).getTime()
    const all = fresh
      ? listing.refunds
      : (await listStripeRefunds(container, await paymentIntentOf(container, row.payment_id))).refunds
    const mine = all.find(
      (refund) =>
        (refund.metadata?.refund_request_id === row.id && refund.metadata?.attempt === String(row.attempts)) ||
        (!!row.provider_refund_id && refund.id === row.provider_refund_id)
    )
    const known = new Set(ledger.flatMap((r) => [r.id, r.provider_refund_id]).filter(Boolean) as string[])
    const unknown = all
      .filter((refund) => !known.has(refund.id) && !known.has(refund.metadata?.refund_request_id ?? ""))
      .map((refund) => refund.id)
    return { answer: mine ? answerOf(mine) : null, unknown_refunds: unknown }
  },
}
