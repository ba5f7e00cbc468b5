import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { HeldOrderLock, releaseOrderLock } from "../../../utils/orders/order-lock"

export const releaseOrderLockStepId = "release-order-lock"

/** Releases the order's money lock this run took (only if this run still owns it). */
export const releaseOrderLockStep = createStep(
  releaseOrderLockStepId,
  async (lock: HeldOrderLock, { container }) => {
    await releaseOrderLock(container, lock)
    return new StepResponse(undefined)
  }
  // No compensation: releasing is the last step; nothing after it can fail.
)
