import type { OrderOwner } from "../../utils/orders/find-order-of"

/**
 * Where a Medusa route names the row its order is found from: the `:id` path
 * parameter, or a body field (checked against the database like the path).
 */
export type OrderReference = { param: "id"; owner: OrderOwner } | { body: "order_id" | "payment_session_id"; owner: OrderOwner }

/** A Medusa admin route that moves money on an order or changes what it owes, run under the order's lock. */
export type CoreMoneyRoute = {
  method: "POST" | "DELETE"
  matcher: string
  order: OrderReference
  /** Why it is serialized with the plugin's money actions. */
  reason: string
  /**
   * Takes money in: refused (400) on a canceled order, checked under the
   * lock. Medusa's cancel leaves a partly captured payment open (it cancels
   * only payments with no capture), and its capture route would then keep
   * money on the canceled order.
   */
  takes_money?: true
}

/**
 * Medusa's own admin routes the plugin serializes with its money actions
 * (documented in docs/http-api.md, "Medusa routes the plugin serializes").
 */
export const CORE_MONEY_ROUTES: readonly CoreMoneyRoute[] = [
  {
    method: "POST",
    matcher: "/admin/payments/:id/capture",
    order: { param: "id", owner: "payment" },
    reason: "captures money on one of the order's payments",
    takes_money: true,
  },
  {
    method: "POST",
    matcher: "/admin/payments/:id/refund",
    order: { param: "id", owner: "payment" },
    reason: "refunds captured money outside the plugin's ledger",
  },
  {
    method: "POST",
    matcher: "/admin/payment-collections/:id/mark-as-paid",
    order: { param: "id", owner: "payment_collection" },
    reason: "creates a payment on an unpaid collection and captures it in full",
    takes_money: true,
  },
  {
    method: "POST",
    matcher: "/admin/payment-collections",
    order: { body: "order_id", owner: "order" },
    reason: "opens a new collection for money the order is to be paid",
  },
  {
    method: "DELETE",
    matcher: "/admin/payment-collections/:id",
    order: { param: "id", owner: "payment_collection" },
    reason: "removes a collection a receipt may be about to be recorded against",
  },
  {
    method: "POST",
    matcher: "/admin/orders/:id/payment-sessions/authorize",
    order: { body: "payment_session_id", owner: "payment_session" },
    reason: "authorizes a new payment that receipts and refunds then count",
    takes_money: true,
  },
  {
    method: "POST",
    matcher: "/admin/orders/:id/cancel",
    order: { param: "id", owner: "order" },
    reason: "refunds every captured payment and cancels the order",
  },
  {
    method: "POST",
    matcher: "/admin/orders/:id/credit-lines",
    order: { param: "id", owner: "order" },
    reason: "changes the order's total, so what is outstanding or refundable",
  },
  {
    method: "POST",
    matcher: "/admin/order-edits/:id/request",
    order: { param: "id", owner: "order" },
    reason: "requests an order edit (`:id` is the order), whose new total is what the order owes once confirmed",
  },
  {
    method: "POST",
    matcher: "/admin/order-edits/:id/confirm",
    order: { param: "id", owner: "order" },
    reason: "confirms an order edit (`:id` is the order): new total, the old payment canceled, a new collection",
  },
  {
    method: "POST",
    matcher: "/admin/returns/:id/request",
    order: { param: "id", owner: "return" },
    reason: "confirms a return request, which changes what the order owes",
  },
  {
    method: "POST",
    matcher: "/admin/returns/:id/receive/confirm",
    order: { param: "id", owner: "return" },
    reason: "confirms the receipt of returned items: money becomes due back to the customer",
  },
  {
    method: "POST",
    matcher: "/admin/returns/:id/cancel",
    order: { param: "id", owner: "return" },
    reason: "cancels a return and what it made due",
  },
  {
    method: "POST",
    matcher: "/admin/claims/:id/request",
    order: { param: "id", owner: "order_claim" },
    reason: "confirms a claim: a refund or new items change what the order owes",
  },
  {
    method: "POST",
    matcher: "/admin/claims/:id/cancel",
    order: { param: "id", owner: "order_claim" },
    reason: "cancels a claim and what it made due",
  },
  {
    method: "POST",
    matcher: "/admin/exchanges/:id/request",
    order: { param: "id", owner: "order_exchange" },
    reason: "confirms an exchange: the difference is owed by or to the customer",
  },
  {
    method: "POST",
    matcher: "/admin/exchanges/:id/cancel",
    order: { param: "id", owner: "order_exchange" },
    reason: "cancels an exchange and what it made due",
  },
]
