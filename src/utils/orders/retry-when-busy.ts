import { MedusaError } from "@medusajs/framework/utils"
import { setTimeout as sleep } from "timers/promises"

/**
 * Runs `action` again while it fails with CONFLICT (the order lock held by
 * another money action), up to `attempts` times: for subscribers, whose
 * event is not delivered again when they fail.
 */
export async function retryWhenBusy<T>(action: () => Promise<T>, attempts = 5, pauseMs = 500): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action()
    } catch (error) {
      if ((error as MedusaError)?.type !== MedusaError.Types.CONFLICT || attempt >= attempts) {
        throw error
      }
      await sleep(pauseMs * attempt)
    }
  }
}
