import Stripe from "stripe"
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

const clients = new WeakMap<object, Stripe>()

/** Whether a payment provider id is one of `@medusajs/payment-stripe`'s (`pp_stripe_stripe`, `pp_stripe-ideal_stripe`, ...). */
export const isStripeProvider = (providerId: string) => /^pp_stripe(-[a-z0-9]+)?_/.test(providerId)

/**
 * The plugin's Stripe client (plugin option `stripe`), with no automatic
 * network retries: every retry is decided by the refund ledger, with the
 * refund's own idempotency key.
 */
export function stripeClient(container: MedusaContainer): Stripe {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const cached = clients.get(desk)
  if (cached) {
    return cached
  }
  const options = desk.getOptions().stripe
  if (!options) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "Stripe refunds need the medusa-payment-desk option stripe.apiKey"
    )
  }
  const host = options.apiHost ? new URL(options.apiHost) : null
  const client = new Stripe(options.apiKey, {
    ...(host
      ? {
          host: host.hostname,
          port: Number(host.port) || (host.protocol === "https:" ? 443 : 80),
          protocol: host.protocol === "https:" ? "https" : "http",
        }
      : {}),
    maxNetworkRetries: 0,
    timeout: options.timeoutMs,
    telemetry: false,
  })
  clients.set(desk, client)
  return client
}

/** A Stripe error whose outcome is unknown: the request may or may not have been carried out. */
export function isAmbiguousStripeError(error: unknown): boolean {
  const e = error as { type?: string; statusCode?: number }
  return (
    e?.type === "StripeConnectionError" ||
    e?.type === "StripeAPIError" ||
    (typeof e?.statusCode === "number" && e.statusCode >= 500) ||
    e?.type === "StripeRateLimitError"
  )
}
