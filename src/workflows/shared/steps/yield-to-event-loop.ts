import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { setImmediate as yieldToLoop } from "node:timers/promises"

export const yieldToEventLoopStepId = "yield-to-event-loop"

/**
 * Hands the event loop back once between two steps: the engine resolves the
 * next step's input (a whole copy of it, synchronously) in the same turn as
 * the previous step's end, so two large inputs in a row hold the loop as one
 * block without it. Reads and writes nothing: no compensation.
 */
export const yieldToEventLoopStep = createStep(yieldToEventLoopStepId, async () => {
  await yieldToLoop()
  return new StepResponse(null)
})
