import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"

export type EmitPaymentDeskEventsStepInput = {
  events: { name: string; data: Record<string, unknown> }[]
  /**
   * Emit at once instead of with the workflow's event group: for events that
   * describe money a provider has moved, which no later failure may take back.
   */
  immediate?: boolean
}

export const emitPaymentDeskEventsStepId = "emit-payment-desk-events"

/**
 * Emits several events, of different names: by default released only when
 * the workflow succeeds (like core's `emitEventStep`, which takes one name);
 * `immediate` ones at once.
 */
export const emitPaymentDeskEventsStep = createStep(
  emitPaymentDeskEventsStepId,
  async (input: EmitPaymentDeskEventsStepInput, context) => {
    if (!input.events.length) {
      return new StepResponse(undefined, { eventNames: [] })
    }
    const eventBus = context.container.resolve(Modules.EVENT_BUS)
    const grouped = !input.immediate && context.eventGroupId
    const metadata = grouped ? { eventGroupId: context.eventGroupId } : {}
    await eventBus.emit(input.events.map((event) => ({ name: event.name, data: event.data, metadata })))
    return new StepResponse(undefined, {
      eventGroupId: grouped ? context.eventGroupId : undefined,
      eventNames: [...new Set(input.events.map((event) => event.name))],
    })
  },
  // Grouped events of a failed run are dropped; immediate ones were facts.
  async (emitted: { eventGroupId?: string; eventNames: string[] } | undefined, { container }) => {
    if (!emitted?.eventGroupId) {
      return
    }
    await container.resolve(Modules.EVENT_BUS).clearGroupedEvents(emitted.eventGroupId, {
      eventNames: emitted.eventNames,
    })
  }
)
