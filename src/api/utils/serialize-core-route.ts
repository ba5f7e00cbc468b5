import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { randomUUID } from "crypto"
import { findOrderOf } from "../../utils/orders/find-order-of"
import { acquireOrderLock, HeldOrderLock, releaseOrderLock } from "../../utils/orders/order-lock"
import type { CoreMoneyRoute, OrderReference } from "./core-money-routes"

/** The id the request names where the route's table entry says, if it is a non-empty string. */
function referencedId(req: MedusaRequest, reference: OrderReference): string | null {
  const value =
    "param" in reference
      ? req.params[reference.param]
      : (req.body as Record<string, unknown> | undefined)?.[reference.body]
  return typeof value === "string" && value.length > 0 ? value : null
}

/**
 * Gives the lock back once the route has ended its response (a success, an
 * error answered by Medusa's error handler, or a client that hung up
 * meanwhile: Medusa's handler runs on and still ends its response), exactly
 * once. Not on the connection's `close` alone: the handler may still be
 * moving money then. A handler that never ends its response leaves the lock
 * to expire after `order_lock.ttl_seconds`.
 */
function releaseWhenAnswered(req: MedusaRequest, res: MedusaResponse, lock: HeldOrderLock) {
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
  let released = false
  const release = () => {
    if (released) {
      return
    }
    released = true
    releaseOrderLock(req.scope, lock).catch((error: Error) =>
      logger.error(`payment-desk: could not release ${lock.key} after ${req.method} ${req.path}: ${error.message}`)
    )
  }
  const end = res.end
  res.end = function (this: MedusaResponse, ...args: Parameters<typeof end>) {
    const result = end.apply(this, args)
    release()
    return result
  } as typeof res.end
  res.once("finish", release)
}

/**
 * Runs one of Medusa's own money routes under the plugin's order lock: finds
 * the order the request acts on in the database, takes the order's lock (409
 * with the plugin's message after `order_lock.wait_seconds`, as the plugin's
 * own routes answer), and gives it back once the route has answered. A
 * request whose order cannot be found goes on to Medusa's route unlocked,
 * which answers it as it always does (its own 404 or 400).
 */
export function serializeCoreMoneyRoute(route: CoreMoneyRoute) {
  return async (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    const id = referencedId(req, route.order)
    let lock: HeldOrderLock
    let orderId: string | null
    try {
      orderId = id ? await findOrderOf(req.scope, route.order.owner, id) : null
      if (!orderId) {
        return next()
      }
      lock = await acquireOrderLock(req.scope, orderId, `medusa-route:${randomUUID()}`)
    } catch (error) {
      const e = error as MedusaError
      if (e?.type === MedusaError.Types.CONFLICT) {
        res.status(409).json({ type: MedusaError.Types.CONFLICT, message: e.message })
        return
      }
      return next(error)
    }
    releaseWhenAnswered(req, res, lock)
    if (route.takes_money) {
      // Re-read under the lock: a canceled order takes no money. A failed read
      // answers as an error (fail closed), never lets the route run unchecked.
      const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query
        .graph({ entity: "order", fields: ["id", "display_id", "status"], filters: { id: orderId } })
        .catch((error: Error) => ({ data: null, error }))
      if (!data) {
        return next(new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "The order could not be read before Medusa's payment route; nothing was changed"))
      }
      if (data[0]?.status === "canceled") {
        res.status(400).json({
          type: MedusaError.Types.NOT_ALLOWED,
          message: `Order #${data[0].display_id} is canceled: it takes no more money (what it still holds is refunded through the payment desk's close or refund)`,
        })
        return
      }
    }
    next()
  }
}
