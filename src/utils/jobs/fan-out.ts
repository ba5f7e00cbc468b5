import type { ConfigModule, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/**
 * Whether the store runs Medusa's Redis event bus (`@medusajs/medusa/event-bus-redis`
 * or `@medusajs/event-bus-redis`): its events go through a queue that every
 * worker instance takes from, so a job hands its work out as events and the
 * fleet shares it. With the local event bus (one process) a job does its
 * work itself.
 */
export function fansOutOverWorkers(container: MedusaContainer): boolean {
  const config = container.resolve<ConfigModule>(ContainerRegistrationKeys.CONFIG_MODULE)
  return Object.values(config.modules ?? {}).some(
    (entry) => typeof entry === "object" && entry !== null && typeof (entry as { resolve?: unknown }).resolve === "string" &&
      /(^|\/)event-bus-redis$/.test((entry as { resolve: string }).resolve)
  )
}
