import { createHook, createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, cancelOrderWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"
import { OrderClosedEventData, PaymentDeskEvents } from "../events"
import type { CloseReason } from "../modules/payment-desk/models/order-closure"
import { orderLockKey } from "./record-payment"
import { createAuditEntriesStep } from "./steps/create-audit-entries"
import { createOrderClosureStep } from "./steps/create-order-closure"
import { emitPaymentDeskEventsStep } from "./steps/emit-payment-desk-events"
import { refundForClosureStep } from "./steps/refund-for-closure"
import { Actor, resolveActorStep } from "./steps/resolve-actor"
import { validateOrderClosureStep } from "./steps/validate-order-closure"

/** Input of `closeOrderWorkflow`. */
export type CloseOrderWorkflowInput = {
  order_id: string
  actor: Actor
  reason: CloseReason
  note?: string | null
  notify_customer?: boolean
  ip?: string | null
  user_agent?: string | null
}

export const closeOrderWorkflowId = "payment-desk-close-order"

/**
 * Closes an order early, whoever asks (customer, merchant, system): refunds
 * whatever was paid first (through the refund ledger), runs Medusa's
 * `cancelOrderWorkflow` (reservations, uncaptured payments), records the
 * closure and its audit entry, and emits one `payment_desk.order_closed`.
 */
export const closeOrderWorkflow = createWorkflow(
  closeOrderWorkflowId,
  (input: WorkflowData<CloseOrderWorkflowInput>) => {
    const lockKey = transform({ input }, ({ input }) => orderLockKey(input.order_id))
    acquireLockStep(transform({ lockKey }, ({ lockKey }) => ({ key: lockKey, timeout: 30, retryInterval: 0.05, ttl: 300 })))

    const order = validateOrderClosureStep(transform({ input }, ({ input }) => ({ order_id: input.order_id, actor: input.actor })))
    const actor = resolveActorStep(input.actor)
    const validate = createHook("validate", { input, order })

    const refunds = refundForClosureStep(
      transform({ input, order }, ({ input, order }) => ({
        order_id: order.order_id,
        payment_ids: order.payment_ids,
        actor: input.actor,
        reason: input.reason,
        notify_customer: input.notify_customer,
      }))
    )

    cancelOrderWorkflow.runAsStep({
      input: transform({ order, actor }, ({ order, actor }) => ({
        order_id: order.order_id,
        canceled_by: actor.id ?? undefined,
      })),
    })

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
    releaseLockStep(transform({ lockKey }, ({ lockKey }) => ({ key: lockKey })))
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
