import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { PaymentDeskEvents } from "../../events"
import { closedEventData } from "./close-order"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"
import { createAuditEntriesStep } from "../shared/steps/create-audit-entries"
import { createOrderClosureStep, CreateOrderClosureStepInput } from "./steps/create-order-closure"
import { emitPaymentDeskEventsStep } from "../shared/steps/emit-payment-desk-events"
import { prepareCoreCancellationStep, PrepareCoreCancellationInput } from "./steps/prepare-core-cancellation"

export const recordCoreCancellationWorkflowId = "payment-desk-record-core-cancellation"

/**
 * Records an order canceled through Medusa's own "Cancel order" as a closure
 * (actor `user`, reason `other`) with its `payment_desk.order_closed` event,
 * so every closed order has exactly one closure whatever the path. With
 * `closed_as`, records the plugin's own auto-close that canceled the order
 * and was interrupted before its closure (see `closeOverdueOrderBatch`).
 */
export const recordCoreCancellationWorkflow = createWorkflow(
  recordCoreCancellationWorkflowId,
  (input: WorkflowData<PrepareCoreCancellationInput>) => {
    const lock = acquireOrderLockStep(transform({ input }, ({ input }) => ({ order_id: input.order_id })))
    const prepared = prepareCoreCancellationStep(input)
    const closure = when("not-closed-yet", { prepared }, ({ prepared }) => !!prepared).then(() => {
      const created = createOrderClosureStep(transform({ prepared }, ({ prepared }) => prepared as CreateOrderClosureStepInput))
      createAuditEntriesStep(
        transform({ created }, ({ created }) => [
          {
            order_id: created.order_id,
            action: "order_closed",
            actor_type: created.actor_type,
            actor_id: created.actor_id,
            amount: Number(created.refunded_amount),
            currency_code: created.currency_code,
            method: created.payment_method,
            note: created.note,
            metadata: { order_closure_id: created.id, reason: created.reason, source: created.source },
          },
        ])
      )
      emitPaymentDeskEventsStep(
        transform({ created }, ({ created }) => ({ events: [{ name: PaymentDeskEvents.ORDER_CLOSED, data: closedEventData(created) }] }))
      )
      return created
    })
    releaseOrderLockStep(lock)
    return new WorkflowResponse({ order_closure: closure })
  }
)
