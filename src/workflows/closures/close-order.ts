import { createHook, createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { cancelOrderWorkflow, cancelValidateOrder } from "@medusajs/medusa/core-flows"
import { OrderClosedEventData, PaymentDeskEvents } from "../../events"
import type { CloseReason } from "../../modules/payment-desk/models/order-closure"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"
import { createAuditEntriesStep } from "../shared/steps/create-audit-entries"
import { createOrderClosureStep } from "./steps/create-order-closure"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"
import { refundForClosureStep } from "./steps/refund-for-closure"
import { bookUnbookedRefundsStep } from "../refunds/steps/book-unbooked-refunds"
import { cancelSettledPaymentsStep } from "./steps/cancel-settled-payments"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"
import { validateOrderClosureStep } from "./steps/validate-order-closure"

/** Input of `closeOrderWorkflow`. */
export type CloseOrderWorkflowInput = {
  order_id: string
  actor: Actor
  reason: CloseReason
  note?: string | null
  notify_customer?: boolean
  /** Where the close's manual refunds are paid out; by default the payer of the order's bank line. */
  payout_account?: { name: string; iban: string; bic?: string | null } | null
  ip?: string | null
  user_agent?: string | null
  /** Whether the caller may refund; a close that must refund is refused (403) when false. Default true. */
  may_refund?: boolean
  /** A close for non-payment (the auto-close job): re-checked under the lock. */
  expect_overdue?: { close_partially_paid: boolean } | null
  /** Refuse (400, code `payment_desk.order_paid`) when the order holds money: a customer's close under `store_close` other than `immediate`. */
  refuse_paid?: boolean
}

export const closeOrderWorkflowId = "payment-desk-close-order"

/**
 * Closes an order early, whoever asks (customer, merchant, system), under
 * the order's lock: re-reads and validates the order there (the plugin's
 * rules, then Medusa's own cancel rules, before any money moves), books any
 * refund of Medusa's the order's books miss, refunds whatever was paid
 * first (through the refund ledger), runs Medusa's
 * `cancelOrderWorkflow` (reservations, uncaptured payments), records the
 * closure and its audit entry, and emits one `payment_desk.order_closed`.
 */
export const closeOrderWorkflow = createWorkflow(
  closeOrderWorkflowId,
  (input: WorkflowData<CloseOrderWorkflowInput>) => {
    const lock = acquireOrderLockStep(transform({ input }, ({ input }) => ({ order_id: input.order_id })))

    const order = validateOrderClosureStep(
      transform({ input }, ({ input }) => ({
        order_id: input.order_id,
        actor: input.actor,
        may_refund: input.may_refund,
        expect_overdue: input.expect_overdue ?? null,
        refuse_paid: input.refuse_paid ?? false,
      }))
    )
    // Medusa's own cancel rules, before any money moves.
    cancelValidateOrder(
      transform({ order }, ({ order }) => ({
        order: order.core_order as unknown as Parameters<typeof cancelValidateOrder>[0]["order"],
        input: { order_id: order.order_id },
      }))
    )
    const actor = resolveActorStep(input.actor)
    const validate = createHook("validate", { input, order })

    // Refunds Medusa made whose booking the order lost (its cancel failed past
    // them) are booked first, so the closed order counts every refund.
    bookUnbookedRefundsStep(transform({ order }, ({ order }) => ({ order_id: order.order_id, doing: "closing the order" })))

    const refunds = refundForClosureStep(
      transform({ input, order, actor }, ({ input, order, actor }) => ({
        order_id: order.order_id,
        payment_ids: order.payment_ids,
        actor,
        reason: input.reason,
        notify_customer: input.notify_customer,
        payout_account: input.payout_account ?? null,
      }))
    )

    cancelOrderWorkflow.runAsStep({
      input: transform({ order, actor }, ({ order, actor }) => ({
        order_id: order.order_id,
        canceled_by: actor.id ?? undefined,
      })),
    })
    // No "Capture payment" left on a partly paid manual payment the close refunded.
    cancelSettledPaymentsStep(transform({ order }, ({ order }) => ({ order_id: order.order_id })))

    const closure = createOrderClosureStep(
      transform({ input, order, refunds, actor }, ({ input, order, refunds, actor }) => ({
        order_id: order.order_id,
        actor_type: actor.type,
        actor_id: actor.id,
        reason: input.reason,
        note: input.note ?? null,
        notify_customer: input.notify_customer ?? true,
        refund_request_ids: refunds.refund_request_ids,
        refunded_amount: refunds.refunded_amount,
        currency_code: order.currency_code,
        payment_method: order.payment_method,
        customer_id: order.customer_id,
        sales_channel_id: order.sales_channel_id,
        ip: input.ip ?? null,
        user_agent: input.user_agent ?? null,
        source: "payment_desk" as const,
      }))
    )

    createAuditEntriesStep(
      transform({ closure, actor, order }, ({ closure, actor, order }) => [
        {
          order_id: order.order_id,
          action: "order_closed",
          actor_type: actor.type,
          actor_id: actor.id,
          actor_email: actor.email,
          amount: Number(closure.refunded_amount),
          currency_code: order.currency_code,
          method: order.payment_method,
          note: closure.note,
          ip: closure.ip,
          user_agent: closure.user_agent,
          metadata: { order_closure_id: closure.id, reason: closure.reason, source: closure.source },
        },
      ])
    )
    emitPaymentDeskEventsStep(
      transform({ closure }, ({ closure }) => ({ events: [{ name: PaymentDeskEvents.ORDER_CLOSED, data: closedEventData(closure) }] }))
    )
    const orderClosed = createHook("orderClosed", { input, closure })
    releaseOrderLockStep(lock)
    return new WorkflowResponse({ order_closure: closure }, { hooks: [validate, orderClosed] })
  }
)

/** The `payment_desk.order_closed` payload of a closure row. */
export function closedEventData(closure: {
  id: string
  order_id: string
  actor_type: string
  actor_id: string | null
  reason: string
  note: string | null
  refunded_amount: unknown
  currency_code: string
  payment_method: string | null
  refund_request_ids: unknown
  ip: string | null
  user_agent: string | null
}): OrderClosedEventData {
  return {
    order_closure_id: closure.id,
    order_id: closure.order_id,
    actor_type: closure.actor_type,
    actor_id: closure.actor_id,
    reason: closure.reason,
    note: closure.note,
    refunded_amount: Number(closure.refunded_amount),
    currency_code: closure.currency_code,
    payment_method: closure.payment_method,
    refund_request_ids: ((closure.refund_request_ids as { ids?: string[] } | null)?.ids ?? []) as string[],
    ip: closure.ip,
    user_agent: closure.user_agent,
  }
}
