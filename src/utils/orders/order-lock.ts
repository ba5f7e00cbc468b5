import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules, MedusaError } from "@medusajs/framework/utils"
import { setTimeout as sleep } from "timers/promises"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

/**
 * The one lock every action that moves or books money on an order takes
 * (record payment, refund, retry, payout, close, webhook settlement,
 * reconciliation, the jobs), so each re-reads and re-validates the order
 * with everyone else kept out.
 */
export const ORDER_LOCK = {
  /** Seconds between two tries while waiting. */
  retrySeconds: 0.05,
} as const
// How long a dead holder keeps the lock and how long a second action waits
// are the plugin option `order_lock` (ttl_seconds 120, wait_seconds 5).

/** The lock key of an order. */
export const orderLockKey = (orderId: string) => `payment-desk:order:${orderId}`

/** A held order lock: its key and the owner that alone may release it. */
export type HeldOrderLock = { key: string; owner: string }

/**
 * Takes the order's lock for `owner`, waiting up to `order_lock.wait_seconds`;
 * then refuses with 409 naming the order, never hangs.
 */
export async function acquireOrderLock(
  container: MedusaContainer,
  orderId: string,
  owner: string
): Promise<HeldOrderLock> {
  const locking = container.resolve(Modules.LOCKING)
  const settings = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().order_lock
  const key = orderLockKey(orderId)
  const until = Date.now() + settings.wait_seconds * 1000
  for (;;) {
    try {
      await locking.acquire(key, { ownerId: owner, expire: settings.ttl_seconds })
      return { key, owner }
    } catch (error) {
      if (Date.now() >= until) {
        throw new MedusaError(MedusaError.Types.CONFLICT, `Another money action on order ${orderId} is in progress; try again in a moment`)
      }
    }
    await sleep(ORDER_LOCK.retrySeconds * 1000)
  }
}

/** Releases the order lock only if `owner` still holds it (an expired lock taken over by someone else is theirs). */
export async function releaseOrderLock(container: MedusaContainer, lock: HeldOrderLock): Promise<void> {
  await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner })
}
