import { MathBN } from "@medusajs/framework/utils"
import type { OrderPaymentCollection } from "./read-order-payments"

/** A collection a receipt may pay in full, and the dead sessions that must go before it is paid. */
export type UnpaidCollection = {
  collection: OrderPaymentCollection
  /** Sessions nobody can pay from any more (authorized, their payment canceled; or canceled). */
  dead_session_ids: string[]
}

/**
 * Whether a receipt may pay this collection in full the way Medusa's
 * mark-as-paid does: no payment on it is live (every one canceled), none
 * holds a capture or refund, and every payment session on it is dead, so no
 * customer can still be paying through it. That is an unpaid collection
 * (`not_paid`, no session) and the collection a failed mark-as-paid leaves
 * behind: Medusa's compensation cancels the payment it authorized and
 * deletes its session but leaves the collection `authorized` (and the
 * session authorized, when its deletion failed too). A pending, requires_more or
 * errored session (a card payment under way) makes the collection live:
 * null, never touched.
 */
export function unpaidCollectionOf(collection: OrderPaymentCollection): UnpaidCollection | null {
  if (collection.status === "completed" || collection.status === "canceled") {
    return null
  }
  const payments = collection.payments
  if (payments.some((p) => !p.canceled_at || p.captures.length || p.refunds.length)) {
    return null
  }
  if (MathBN.gt(collection.captured_amount ?? 0, 0)) {
    return null
  }
  const sessions = collection.payment_sessions ?? []
  const dead = (session: (typeof sessions)[number]) => {
    if (session.status === "canceled") {
      return true
    }
    const paid = payments.filter((p) => p.payment_session_id === session.id)
    return session.status === "authorized" && paid.length > 0 && paid.every((p) => !!p.canceled_at)
  }
  if (!sessions.every(dead)) {
    return null
  }
  return { collection, dead_session_ids: sessions.map((session) => session.id) }
}
