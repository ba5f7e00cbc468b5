// Knowing when the store's subscribers are done, instead of sleeping a fixed
// time and hoping. The local event bus (the tests run without Redis) calls
// each subscriber from an EventEmitter and does not wait for it; this wraps
// every listener registered at boot so that the promise of each delivery is
// kept until it settles. `idle()` resolves once no delivery is running, none
// is about to start (a grouped event is released a tick after its workflow),
// and no workflow execution is in flight. Nothing in src/ knows.
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { EventEmitter } from "node:events"
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises"

type Listener = (...args: unknown[]) => unknown

export type SubscriberTracker = {
  /** Resolves when no subscriber runs and none is about to; rejects after `timeoutMs`. */
  idle(timeoutMs?: number): Promise<void>
  /** Puts the original listeners back. */
  stop(): void
}

/**
 * Wraps the subscribers registered on the local event bus so that `idle()`
 * can wait for every delivery (and what it sets off: events its workflows
 * emit are delivered, and waited for, too). Listeners added later (a test's
 * own `listen`) are not tracked.
 */
export function trackSubscribers(container: MedusaContainer): SubscriberTracker {
  const bus = container.resolve(Modules.EVENT_BUS) as unknown as { eventEmitter_?: EventEmitter }
  const emitter = bus.eventEmitter_
  if (!emitter) {
    throw new Error("trackSubscribers: the event bus has no eventEmitter_ (not the local event bus?)")
  }
  const running = new Set<Promise<unknown>>()
  const swapped: { name: string | symbol; original: Listener; tracker: Listener }[] = []
  for (const name of emitter.eventNames()) {
    for (const original of emitter.listeners(name) as Listener[]) {
      // Calls the subscriber as the bus would, and hands back what it returned, so that
      // a wrapper around this one (TestEventUtils.waitSubscribersExecution) still awaits it.
      const tracker: Listener = function (this: unknown, ...args: unknown[]) {
        const result = original.apply(this, args)
        if (result && typeof (result as Promise<unknown>).then === "function") {
          const delivery = Promise.resolve(result).catch(() => {})
          running.add(delivery)
          void delivery.finally(() => running.delete(delivery))
        }
        return result
      }
      // The bus unsubscribes by this id.
      const subscriberId = (original as { subscriberId?: string }).subscriberId
      if (subscriberId) (tracker as { subscriberId?: string }).subscriberId = subscriberId
      swapped.push({ name, original, tracker })
    }
  }
  // Same listeners, same order: remove every original, then add the trackers.
  for (const { name, original } of swapped) emitter.removeListener(name, original)
  for (const { name, tracker } of swapped) emitter.on(name, tracker)

  const wfe = container.resolve(Modules.WORKFLOW_ENGINE, { allowUnregistered: true }) as
    | { listWorkflowExecutions: (filters: object) => Promise<unknown[]> }
    | undefined
  const workflowsRunning = async () =>
    wfe ? (await wfe.listWorkflowExecutions({ state: { $nin: ["not_started", "done", "reverted", "failed"] } })).length > 0 : false

  return {
    async idle(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs
      // Quiet twice in a row, a few turns of the event loop apart: a grouped event
      // is emitted a microtask after its workflow ends, a delivery may emit more.
      let quiet = 0
      while (quiet < 2) {
        if (Date.now() > until) {
          throw new Error(`Subscribers still running after ${timeoutMs} ms (${running.size} deliveries)`)
        }
        if (running.size > 0) {
          quiet = 0
          await Promise.race([Promise.allSettled([...running]), sleep(Math.max(0, until - Date.now()))])
          continue
        }
        if (await workflowsRunning()) {
          quiet = 0
          await sleep(25)
          continue
        }
        quiet++
        await nextTurn()
        await sleep(10)
      }
    },
    stop() {
      for (const { name, tracker } of swapped) emitter.removeListener(name, tracker)
      for (const { name, original } of swapped) emitter.on(name, original)
    },
  }
}
