import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type Stripe from "stripe"
import type { RefundRequestRow } from "../../../modules/payment-desk/models/refund-request"
import { toStripeAmount } from "../../stripe/amounts"
import { isAmbiguousStripeError, stripeClient } from "../../stripe/client"
import type { ProviderOutcome } from "../transitions"
import type { GatewayAnswer, RefundGateway } from "./types"

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

const answerOf = (refund: Pick<Stripe.Refund, "id" | "status" | "amount" | "failure_reason" | "metadata">): GatewayAnswer => {
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
      return { ...answerOf(refund), request }
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
  async find(container, row, ledger) {
    const stripe = stripeClient(container)
    const intent = await paymentIntentOf(container, row.payment_id)
    // Every refund on the payment: this attempt's (by the ledger id and
    // attempt in its metadata, or its id) and any the ledger does not know.
    const all: Stripe.Refund[] = []
    for await (const refund of stripe.refunds.list({ payment_intent: intent, limit: 100 })) {
      all.push(refund)
    }
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
