import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { setTimeout as sleep } from "timers/promises"

/**
 * The one lock every action that moves or books money on an order takes
 * (record payment, refund, retry, payout, close, webhook settlement,
 * reconciliation, the jobs), so each re-reads and re-validates the order
 * with everyone else kept out.
 */
export const ORDER_LOCK = {
  /** Seconds a holder keeps the lock at most if it dies (kill -9) before releasing it. */
  ttlSeconds: 120,
  /** Seconds a second action on the same order waits before it is refused with 409. */
  waitSeconds: 5,
  /** Seconds between two tries while waiting. */
  retrySeconds: 0.05,
} as const

/** The lock key of an order. */
export const orderLockKey = (orderId: string) => `payment-desk:order:${orderId}`

/** A held order lock: its key and the owner that alone may release it. */
export type HeldOrderLock = { key: string; owner: string }

/**
 * Takes the order's lock for `owner`, waiting up to `ORDER_LOCK.waitSeconds`;
 * then refuses with 409 naming the order, never hangs.
 */
export async function acquireOrderLock(
  container: MedusaContainer,
  orderId: string,
  owner: string,
  wait: { seconds?: number } = {}
): Promise<HeldOrderLock> {
  const locking = container.resolve(Modules.LOCKING)
  const key = orderLockKey(orderId)
  const until = Date.now() + (wait.seconds ?? ORDER_LOCK.waitSeconds) * 1000
  for (;;) {
    try {
      await locking.acquire(key, { ownerId: owner, expire: ORDER_LOCK.ttlSeconds })
      return { key, owner }
    } catch (error) {
      if (Date.now() >= until) {
        throw new MedusaError(
          MedusaError.Types.CONFLICT,
          `Another money action on order ${orderId} is in progress; try again in a moment`
        )
      }
    }
    await sleep(ORDER_LOCK.retrySeconds * 1000)
  }
}

/** Releases the order lock only if `owner` still holds it (an expired lock taken over by someone else is theirs). */
export async function releaseOrderLock(container: MedusaContainer, lock: HeldOrderLock): Promise<void> {
  await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner })
}
