// Boots a fake Stripe for a spec file and points the store's config at it.
// The fake must listen before the store boots: medusa-config reads where it
// is from these variables at boot (the port is only known once it listens,
// hence the getter); they are removed again after the file.
import { FakeStripe } from "./fake-stripe"

/** Starts a fake Stripe around the spec file and sets the store's Stripe variables; returns it. */
export function useFakeStripe(options: { replaySnapshots?: boolean } = {}): FakeStripe {
  const stripe = new FakeStripe()
  stripe.replaySnapshots = options.replaySnapshots ?? false
  const saved = { ...process.env }
  beforeAll(async () => {
    await stripe.start()
  })
  afterAll(async () => {
    await stripe.stop()
    for (const key of Object.keys(process.env)) {
      if (key.startsWith("PAYMENT_DESK_STRIPE_") && !(key in saved)) delete process.env[key]
    }
  })
  process.env.PAYMENT_DESK_STRIPE_API_KEY = stripe.apiKey
  process.env.PAYMENT_DESK_STRIPE_WEBHOOK_SECRET = stripe.webhookSecret
  process.env.PAYMENT_DESK_STRIPE_TIMEOUT_MS = "1500"
  Object.defineProperty(process.env, "PAYMENT_DESK_STRIPE_API_HOST", {
    configurable: true,
    enumerable: true,
    get: () => stripe.url,
  })
  return stripe
}
