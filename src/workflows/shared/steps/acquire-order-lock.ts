import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { randomUUID } from "crypto"
import { acquireOrderLock, HeldOrderLock, releaseOrderLock } from "../../../utils/orders/order-lock"

export type AcquireOrderLockStepInput = { order_id: string }

export const acquireOrderLockStepId = "acquire-order-lock"

/**
 * Takes the order's money lock with an owner of this run's own (409 after a
 * short wait when another action holds it); everything after this step
 * re-reads the order under the lock.
 */
export const acquireOrderLockStep = createStep(
  acquireOrderLockStepId,
  async (input: AcquireOrderLockStepInput, { container }) => {
    const lock = await acquireOrderLock(container, input.order_id, `payment-desk:${randomUUID()}`)
    return new StepResponse(lock, lock)
  },
  // A failed run gives the lock back at once instead of holding it to its TTL.
  async (lock: HeldOrderLock | undefined, { container }) => {
    if (lock) {
      await releaseOrderLock(container, lock)
    }
  }
)
