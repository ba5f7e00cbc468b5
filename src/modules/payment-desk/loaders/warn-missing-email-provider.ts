import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { ConfigModule, LoaderOptions, Logger } from "@medusajs/framework/types"
import { channelConfigured, EMAIL_PROVIDER_HINT } from "../notification-providers"

/** Warns once at boot when no notification provider serves the `email` channel: customer emails are then skipped. */
export default async function warnMissingEmailProvider({ container }: LoaderOptions): Promise<void> {
  const config = container.resolve<ConfigModule>(ContainerRegistrationKeys.CONFIG_MODULE)
  if (channelConfigured(config, "email")) {
    return
  }
  container
    .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    .warn(
      `medusa-payment-desk: no notification provider for the "email" channel, so customers get no emails ("order closed", payment instructions, reminders, receipts, refunds) ` +
        `(the admin feed still gets closures). To send them, ${EMAIL_PROVIDER_HINT}.`
    )
}
