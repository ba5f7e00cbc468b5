import {
  createHook,
  createWorkflow,
  transform,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import {
  acquireLockStep,
  emitEventStep,
  releaseLockStep,
  useQueryGraphStep,
} from "@medusajs/medusa/core-flows"
import { PaymentDeskEvents, PaymentRecordedEventData } from "../events"
import { captureReceivedPaymentStep } from "./steps/capture-received-payment"
import { createAuditEntryStep } from "./steps/create-audit-entry"
import { Actor, resolveActorStep } from "./steps/resolve-actor"
import { ReceiptOrder, validatePaymentReceiptStep } from "./steps/validate-payment-receipt"

/** Input of `recordPaymentWorkflow`. */
export type RecordPaymentWorkflowInput = {
  order_id: string
  /** Amount received, in the order's currency (e.g. 12.5 for €12.50). */
  amount: number
  /** Receipt method: a manual method id (`bank-transfer`) or one of the `receipt_methods` option. */
  method: string
  reference?: string | null
  received_at?: Date | string | null
  note?: string | null
  actor: Actor
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
}

export const recordPaymentWorkflowId = "payment-desk-record-payment"

/** The lock every money action on one order takes. */
export const orderLockKey = (orderId: string) => `payment-desk:order:${orderId}`

export const RECEIPT_ORDER_FIELDS = [
  "id",
  "status",
  "currency_code",
  "summary",
  "payment_collections.id",
  "payment_collections.status",
  "payment_collections.amount",
  "payment_collections.captured_amount",
  "payment_collections.refunded_amount",
  "payment_collections.payments.id",
  "payment_collections.payments.provider_id",
  "payment_collections.payments.amount",
  "payment_collections.payments.currency_code",
  "payment_collections.payments.canceled_at",
  "payment_collections.payments.captures.amount",
  "payment_collections.payments.refunds.amount",
]

/**
 * Records money received for an order (in full or in part) under the order's
 * lock: validates it, captures it on the order's manual payment, appends an
 * audit entry and emits `payment_desk.payment_recorded`. A failure anywhere
 * leaves neither the capture nor the audit entry behind.
 */
export const recordPaymentWorkflow = createWorkflow(
  recordPaymentWorkflowId,
  (input: WorkflowData<RecordPaymentWorkflowInput>) => {
    const lock = transform({ input }, ({ input }) => ({
      key: orderLockKey(input.order_id),
      timeout: 30,
      retryInterval: 0.05,
      ttl: 120,
    }))
    acquireLockStep(lock)

    const { data: orders } = useQueryGraphStep({
      entity: "order",
      fields: RECEIPT_ORDER_FIELDS,
      filters: { id: input.order_id },
    })
    const plan = validatePaymentReceiptStep(
      transform({ input, orders }, ({ input, orders }) => ({
        order: orders[0] as ReceiptOrder | undefined,
        order_id: input.order_id,
        amount: input.amount,
        method: input.method,
        received_at: input.received_at,
      }))
    )
    const validate = createHook("validate", { input, plan })

    const actor = resolveActorStep(input.actor)

    const capture = captureReceivedPaymentStep(
      transform({ plan, actor }, ({ plan, actor }) => ({
        order_id: plan.order_id,
        payment_id: plan.payment_id,
        amount: plan.amount,
        currency_code: plan.currency_code,
        captured_by: actor.id,
      }))
    )

    const auditEntry = createAuditEntryStep(
      transform({ input, plan, actor, capture }, ({ input, plan, actor }) => ({
        order_id: plan.order_id,
        payment_id: plan.payment_id,
        action: "payment_recorded",
        actor_type: actor.type,
        actor_id: actor.id,
        actor_email: actor.email,
        amount: plan.amount,
        currency_code: plan.currency_code,
        method: input.method,
        reference: input.reference ?? null,
        received_at: input.received_at ?? new Date(),
        note: input.note ?? null,
        payment_status_before: plan.payment_status_before,
        payment_status_after: plan.payment_status_after,
        order_payment_status_before: plan.order_payment_status_before,
        order_payment_status_after: plan.order_payment_status_after,
        ip: input.ip ?? null,
        user_agent: input.user_agent ?? null,
        idempotency_key: input.idempotency_key ?? null,
      }))
    )

    const paymentRecorded = createHook("paymentRecorded", {
      input,
      audit_entry: auditEntry,
      capture,
    })

    emitEventStep({
      eventName: PaymentDeskEvents.PAYMENT_RECORDED,
      data: transform({ input, plan, auditEntry, actor }, ({ input, plan, auditEntry, actor }) => {
        const data: PaymentRecordedEventData = {
          order_id: plan.order_id,
          payment_id: plan.payment_id,
          audit_entry_id: auditEntry.id,
          amount: plan.amount,
          currency_code: plan.currency_code,
          method: input.method,
          reference: input.reference ?? null,
          actor_id: actor.id,
        }
        return data
      }),
    })

    releaseLockStep(transform({ input }, ({ input }) => ({ key: orderLockKey(input.order_id) })))

    return new WorkflowResponse(
      { audit_entry: auditEntry, capture_id: capture.capture_id },
      { hooks: [validate, paymentRecorded] }
    )
  }
)
