import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"

export type EmitPaymentDeskEventsStepInput = { events: { name: string; data: Record<string, unknown> }[] }

export const emitPaymentDeskEventsStepId = "emit-payment-desk-events"

/**
 * Emits several events, of different names, that are released only when the
 * workflow succeeds (like core's `emitEventStep`, which takes one name).
 */
export const emitPaymentDeskEventsStep = createStep(
  emitPaymentDeskEventsStepId,
  async (input: EmitPaymentDeskEventsStepInput, context) => {
    if (!input.events.length) {
      return new StepResponse(undefined, { eventNames: [] })
    }
    const eventBus = context.container.resolve(Modules.EVENT_BUS)
    const metadata = context.eventGroupId ? { eventGroupId: context.eventGroupId } : {}
    await eventBus.emit(input.events.map((event) => ({ name: event.name, data: event.data, metadata })))
    return new StepResponse(undefined, {
      eventGroupId: context.eventGroupId,
      eventNames: [...new Set(input.events.map((event) => event.name))],
    })
  },
  async (emitted: { eventGroupId?: string; eventNames: string[] } | undefined, { container }) => {
    if (!emitted?.eventGroupId) {
      return
    }
    await container.resolve(Modules.EVENT_BUS).clearGroupedEvents(emitted.eventGroupId, {
      eventNames: emitted.eventNames,
    })
  }
)
