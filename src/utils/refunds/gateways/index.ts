import { isStripeProvider } from "../../stripe/client"
import { paymentModuleGateway } from "./payment-module"
import { stripeGateway } from "./stripe"
import type { RefundGateway } from "./types"

export * from "./types"
export { paymentModuleGateway, findMedusaRefundOf } from "./payment-module"
export { stripeGateway, outcomeOfStripeStatus } from "./stripe"

/** The gateway that refunds a payment of `providerId`. */
export const gatewayFor = (providerId: string): RefundGateway =>
  isStripeProvider(providerId) ? stripeGateway : paymentModuleGateway
