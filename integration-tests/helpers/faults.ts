// Fault injection for the integration tests: wraps one method of a service the
// test resolved from the Medusa container (a module service such as the order,
// payment, locking or event bus module) so that its first matching call throws,
// or runs something first, and then restores it. Nothing in src/ knows.
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

type AnyFn = (...args: any[]) => any

export type FaultOptions = {
  /** Only calls whose arguments match count; default every call. */
  when?: (...args: any[]) => boolean
  /**
   * Runs before the first matching call, which then goes through to the real
   * method (unless `error` is given too). Calls made while it runs, and every
   * later call, go straight through: no re-entrance.
   */
  before?: (...args: any[]) => unknown | Promise<unknown>
  /** What the first matching call throws; default an Error naming the method (when `before` is not given). */
  error?: Error | (() => Error)
}

export type Fault = {
  /** Matching calls intercepted (0 or 1). */
  readonly fired: number
  /** Every call of the method while the fault was installed. */
  readonly calls: number
  /** The arguments of the intercepted call. */
  readonly args: unknown[] | null
  /** What `before` returned or threw (if it threw, the call still went through). */
  readonly beforeResult: { value?: unknown; error?: unknown } | null
  /** Puts the original method back. */
  restore(): void
}

/**
 * Makes the first call of `service[method]` (an async method) that matches
 * `when` throw once (or run `before` first), then behaves like the original.
 * Restore it in a `finally`, or use `withFault`.
 */
export function faultOnce<T extends object>(service: T, method: string, options: FaultOptions = {}): Fault {
  const target = service as Record<string, unknown>
  const original = target[method] as AnyFn | undefined
  if (typeof original !== "function") {
    throw new Error(`faultOnce: ${method} is not a method of the given service`)
  }
  const hadOwn = Object.prototype.hasOwnProperty.call(target, method)
  const state = {
    fired: 0,
    calls: 0,
    args: null as unknown[] | null,
    beforeResult: null as { value?: unknown; error?: unknown } | null,
  }
  const shouldThrow = !!options.error || !options.before
  const wrapper = async function (this: unknown, ...args: unknown[]) {
    state.calls++
    if (state.fired === 0 && (!options.when || safeMatch(options.when, args))) {
      state.fired = 1
      state.args = args
      if (options.before) {
        try {
          state.beforeResult = { value: await options.before(...args) }
        } catch (error) {
          state.beforeResult = { error }
        }
      }
      if (shouldThrow) {
        const error =
          typeof options.error === "function"
            ? options.error()
            : options.error ?? new Error(`Injected fault: ${method} failed once`)
        throw error
      }
    }
    return original.apply(this ?? service, args)
  }
  target[method] = wrapper
  let restored = false
  return {
    get fired() {
      return state.fired
    },
    get calls() {
      return state.calls
    },
    get args() {
      return state.args
    },
    get beforeResult() {
      return state.beforeResult
    },
    restore() {
      if (restored) {
        return
      }
      restored = true
      if (hadOwn) {
        target[method] = original
      } else {
        delete target[method]
      }
    },
  }
}

function safeMatch(when: (...args: any[]) => boolean, args: unknown[]) {
  try {
    return !!when(...args)
  } catch {
    return false
  }
}

/** Runs `fn` with a fault installed and always restores the method. */
export async function withFault<R>(
  service: object,
  method: string,
  options: FaultOptions,
  fn: (fault: Fault) => Promise<R>
): Promise<R> {
  const fault = faultOnce(service, method, options)
  try {
    return await fn(fault)
  } finally {
    fault.restore()
  }
}

/** Whether some argument (or an element of an array argument) has `reference: "refund"`: a refund's order transaction. */
export function isRefundTransaction(...args: unknown[]): boolean {
  return args.some((arg) =>
    (Array.isArray(arg) ? arg : [arg]).some(
      (entry) => !!entry && typeof entry === "object" && (entry as { reference?: unknown }).reference === "refund"
    )
  )
}

/** Whether the lock keys (a string or a list) name the given id. */
export function lockKeysMention(keys: unknown, id: string): boolean {
  return (Array.isArray(keys) ? keys : [keys]).some((key) => typeof key === "string" && key.includes(id))
}

/**
 * Counts the deliveries of an event through the event bus, as a subscriber
 * sees them (released grouped events only, not those of failed workflows).
 */
export function listen(container: MedusaContainer, eventName: string) {
  const bus = container.resolve(Modules.EVENT_BUS)
  const events: { data: Record<string, unknown> }[] = []
  const subscriberId = `money-defects-listener-${eventName}-${Math.random().toString(36).slice(2)}`
  const subscriber = async (event: { data: Record<string, unknown> }) => {
    events.push(event)
  }
  bus.subscribe(eventName, subscriber as never, { subscriberId })
  return {
    events,
    /** Waits for deliveries still in flight (the local bus publishes on a later tick). */
    settle: (ms = 500) => new Promise((resolve) => setTimeout(resolve, ms)),
    stop: () => bus.unsubscribe(eventName, subscriber as never, { subscriberId }),
  }
}

/**
 * A `when` predicate: some argument (or an element of an array argument) has
 * `field` equal to `value`, e.g. `argHas("action", "order_closed")` for an
 * audit write, `argHas("reference", "capture")` for a capture's transaction.
 */
export function argHas(field: string, value: unknown): (...args: unknown[]) => boolean {
  return (...args: unknown[]) =>
    args.some((arg) =>
      (Array.isArray(arg) ? arg : [arg]).some(
        (entry) => !!entry && typeof entry === "object" && (entry as Record<string, unknown>)[field] === value
      )
    )
}

/**
 * A switch for a hook handler registered once per spec file (a workflow hook
 * takes one handler): `arm()` makes the next `trip()` throw once.
 */
export function hookFault(name: string) {
  let armed = 0
  let fired = 0
  return {
    arm() {
      armed = 1
    },
    disarm() {
      armed = 0
    },
    get fired() {
      return fired
    },
    reset() {
      armed = 0
      fired = 0
    },
    /** Call from the hook handler: throws once while armed. */
    trip() {
      if (armed) {
        armed = 0
        fired++
        throw new Error(`Injected fault: the ${name} hook handler failed`)
      }
    },
  }
}
