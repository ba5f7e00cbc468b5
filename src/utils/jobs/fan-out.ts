import type { ConfigModule, IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createHash } from "node:crypto"

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

/**
 * Hands batches of ids to Medusa's workers as events named `name`, one event
 * per batch with `payload(ids, index)` as its data, in one emit. Each event's
 * BullMQ job id is `<jobIdPrefix>-<sha1 of its ids>` (or of `jobKey(ids, index)`
 * when given), so a batch still waiting in the queue when a later run finds
 * the same ids is not queued twice (the local event bus ignores it). A batch
 * whose job fails is removed from the queue (`removeOnFail`): BullMQ fails it
 * when it stalls twice (its worker died, and the next one lost the lock too;
 * a subscriber that throws does not fail the job, the event bus logs it).
 * Medusa's Redis event bus keeps failed jobs by default, and a kept one would
 * swallow every later hand-out of the same ids under its job id, leaving
 * those rows to no worker. Returns the number of batches.
 */
export async function handOutBatches<T>(
  container: MedusaContainer,
  name: string,
  batches: string[][],
  payload: (ids: string[], index: number) => T,
  jobIdPrefix: string,
  jobKey: (ids: string[], index: number) => string = (ids) => ids.join(",")
): Promise<number> {
  if (!batches.length) {
    return 0
  }
  const eventBus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  await eventBus.emit(
    batches.map((ids, index) => ({
      name,
      data: payload(ids, index),
      options: { jobId: `${jobIdPrefix}-${createHash("sha1").update(jobKey(ids, index)).digest("hex")}`, removeOnFail: true },
    }))
  )
  return batches.length
}

/** `items` cut into batches of at most `size`, in their order. */
export function inBatches<T>(items: T[], size: number): T[][] {
  const batches: T[][] = []
  for (let i = 0; i < items.length; i += size) {
    batches.push(items.slice(i, i + size))
  }
  return batches
}

/** `items` grouped by `key`, the groups in the order of their first item, each group in the items' order. */
export function groupedBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const group = groups.get(key(item))
    if (group) group.push(item)
    else groups.set(key(item), [item])
  }
  return groups
}
