import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export const countClosureStepId = "count-closure"

/** The counters a closure moves. */
export function closureCounters(closure: {
  actor_type: string
  actor_id?: string | null
  reason: string
  payment_method: string | null
  customer_id: string | null
  sales_channel_id: string | null
}): { scope: string; name: string }[] {
  const counters = [
    { scope: "global", name: "closed" },
    { scope: "global", name: `closed_by.${closure.actor_type}` },
    { scope: "global", name: `closed_reason.${closure.reason}` },
  ]
  if (closure.payment_method) {
    counters.push({ scope: "global", name: `closed_method.${closure.payment_method}` })
  }
  // A customer's counter counts only the closes they did themselves, never the merchant's or the system's.
  if (closure.customer_id && closure.actor_type === "customer" && closure.actor_id === closure.customer_id) {
    counters.push({ scope: `customer:${closure.customer_id}`, name: "closed" })
  }
  if (closure.reason === "payment_timeout") {
    counters.push({ scope: "global", name: "payment_timeouts" })
    if (closure.sales_channel_id) {
      counters.push({ scope: `sales_channel:${closure.sales_channel_id}`, name: "payment_timeouts" })
    }
  }
  return counters
}

/** Adds the closure to the counters, once per closure (claim and increments in one transaction). */
export const countClosureStep = createStep(
  countClosureStepId,
  async (input: { order_closure_id: string }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const closure = await desk.retrieveOrderClosure(input.order_closure_id)
    return new StepResponse({ counted: await desk.countClosureOnce(closure.id, closureCounters(closure)) })
  }
)
