import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { LoaderOptions, Logger } from "@medusajs/framework/types"
import type { Knex } from "@medusajs/framework/mikro-orm/postgresql"
import { ensureAwaitingPaymentReadModel } from "../awaiting-payments"

/**
 * Installs (or upgrades) the triggers that keep the awaiting-payment read
 * model, once per database: a boot that finds them current costs one query.
 * A database without Medusa's tables yet (not migrated) is left alone with a
 * warning; the next boot after `medusa db:migrate` installs them.
 */
export default async function awaitingPaymentReadModel({ container }: LoaderOptions): Promise<void> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const knex = container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
  const result = await ensureAwaitingPaymentReadModel(knex)
  if (result.state === "installed") {
    logger.info(`medusa-payment-desk: awaiting-payment list installed (${result.rows} open manual payments)`)
  } else if (result.state === "missing_tables") {
    logger.warn(
      `medusa-payment-desk: the awaiting-payment list cannot be kept yet: tables ${result.tables.join(", ")} are missing; run \`medusa db:migrate\` and start again`
    )
  }
}
