import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import { stripeClient } from "../../../../utils/stripe/client"
import { processStripeWebhookWorkflow, StripeEventLike } from "../../../../workflows/refunds/process-stripe-webhook"

/** Stripe refund webhooks: verified with the signing secret, handled once per event id. */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const secret = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().stripe?.webhookSecret
  if (!secret) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Stripe webhooks need the medusa-payment-desk option stripe.webhookSecret")
  }
  const signature = req.get("stripe-signature")
  if (!signature || !req.rawBody) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Missing Stripe-Signature header or body")
  }
  let event: StripeEventLike
  try {
    event = stripeClient(req.scope).webhooks.constructEvent(req.rawBody, signature, secret) as unknown as StripeEventLike
  } catch (error) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Stripe webhook signature verification failed: ${(error as Error).message}`
    )
  }
  const { result } = await processStripeWebhookWorkflow(req.scope).run({ input: { event } })
  res.json({ received: true, ...result })
}
