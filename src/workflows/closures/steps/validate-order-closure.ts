import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { primaryPayment, summarizeOrderPayments } from "../../../utils/orders/order-payment-summary"
import { methodFromProviderId } from "../../../providers/manual-payment/options"
import { assertNoActiveOrderChange } from "../../../utils/orders/active-order-change"
import { readOrderPayments } from "../../../utils/orders/read-order-payments"
import type { LedgerRow } from "../../../utils/refunds/refundable"
import { orderMoney } from "../../../utils/orders/order-money"
import type { Actor } from "../../shared/steps/resolve-actor"

export type ValidateOrderClosureStepInput = {
  order_id: string
  actor: Actor
  /** The caller may refund (a close that refunds needs the refund permission too); default true. */
  may_refund?: boolean
  /**
   * Closing for non-payment (the auto-close job): the order must still be
   * unpaid past its window now, under the lock; partly paid ones only when
   * `close_partially_paid`.
   */
  expect_overdue?: { close_partially_paid: boolean } | null
  /** Refuse when money was paid (a customer under `store_close: unpaid_only` or `request`): 400 with code `ORDER_PAID_CODE`. */
  refuse_paid?: boolean
}

/** The `code` of the refusal to close an order that holds money, for a caller that files a request instead. */
export const ORDER_PAID_CODE = "payment_desk.order_paid"
type ClosureOrderRow = {
  id: string
  display_id: number | null
  status: string
  email: string | null
  customer_id: string | null
  sales_channel_id: string | null
  currency_code: string
  fulfillments: { id: string; canceled_at: string | null }[]
}

export const validateOrderClosureStepId = "validate-order-closure"

/**
 * Checks, under the order's lock and before any money moves, that the order
 * can be closed: it exists (and, for a customer, is theirs), is not closed,
 * has no refund still unsettled (which Medusa's cancel would refund a second
 * time), the caller may refund what it holds, no order change of Medusa's is
 * under way when the close refunds, and a close for non-payment is
 * still due. Medusa's own cancel rules (not completed, no fulfillment) run
 * right after, through core's `cancelValidateOrder`.
 */
export const validateOrderClosureStep = createStep(
  validateOrderClosureStepId,
  async (input: ValidateOrderClosureStepInput, { container }) => {
    const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const [{ rows: data }, closures, ledger, payments] = await Promise.all([
      // The order and its fulfillments (through Medusa's order-fulfillment
      // link) in one statement, a fraction of a nested query.graph.
      pg.raw(
        `select o.id, o.display_id, o.status, o.email, o.customer_id, o.sales_channel_id, o.currency_code,
                coalesce((select json_agg(json_build_object('id', f.id, 'canceled_at', f.canceled_at) order by f.created_at, f.id)
                            from order_fulfillment ofl join fulfillment f on f.id = ofl.fulfillment_id and f.deleted_at is null
                           where ofl.order_id = o.id and ofl.deleted_at is null), '[]'::json) as fulfillments
           from "order" o where o.id = ? and o.deleted_at is null`,
        [input.order_id]
      ) as Promise<{ rows: ClosureOrderRow[] }>,
      desk.listOrderClosures({ order_id: input.order_id }),
      desk.listRefundRequests({ order_id: input.order_id }),
      // Fail closed: a read that fails aborts the close before any money moves
      // (taken as "nothing was paid", the order would close unrefunded).
      readOrderPayments(container, input.order_id),
    ])
    const order = data[0]
    if (!order || (input.actor.type === "customer" && order.customer_id !== input.actor.id)) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${input.order_id} was not found`)
    }
    // Said as people say it (the customer reads these too): the order number, not its id.
    const name = order.display_id !== null && order.display_id !== undefined ? `#${order.display_id}` : order.id
    if (closures.length) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Order ${name} is already closed`)
    }
    const unsettled = ledger.filter((row) => ["pending", "requires_action"].includes(row.status))
    if (unsettled.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${name} has refunds that have not settled (${unsettled
          .map((row) => `${row.id}: ${row.status}`)
          .join(", ")}): close it once they have`
      )
    }
    // Every payment that ever held money, canceled ones included.
    const money = orderMoney(payments, ledger as unknown as LedgerRow[])
    const refundable = money.refundable
    if (input.refuse_paid && MathBN.gt(refundable, 0)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${name} has been paid: ask the store to cancel it`,
        ORDER_PAID_CODE
      )
    }
    if (input.may_refund === false && MathBN.gt(refundable, 0)) {
      throw new MedusaError(
        MedusaError.Types.FORBIDDEN,
        `Closing order ${name} refunds ${refundable.toString()} ${String(order.currency_code).toUpperCase()}: you may not issue refunds`
      )
    }
    if (MathBN.gt(refundable, 0)) {
      // Refunding books a credit line through an order change of its own.
      await assertNoActiveOrderChange(container, { order_id: order.id }, "closing the order")
    }
    if (input.expect_overdue) {
      const summary = summarizeOrderPayments(payments, ledger as never)
      const paid = MathBN.gt(summary.paid_total, 0)
      const due = summary.pay_by !== null && new Date(summary.pay_by).getTime() < Date.now()
      if (!due || MathBN.lte(summary.outstanding_amount, 0) || (paid && !input.expect_overdue.close_partially_paid)) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Order ${name} is no longer unpaid past its payment window: it is not closed for non-payment`
        )
      }
    }
    const payment = primaryPayment(payments)
    return new StepResponse({
      order_id: order.id as string,
      display_id: (order.display_id as number | null) ?? null,
      email: (order.email as string | null) ?? null,
      customer_id: (order.customer_id as string | null) ?? null,
      sales_channel_id: (order.sales_channel_id as string | null) ?? null,
      currency_code: order.currency_code as string,
      payment_method: payment ? methodFromProviderId(payment.provider_id) ?? payment.provider_id : null,
      // Only payments with money captured can have something to refund.
      payment_ids: money.paid_payments.map((line) => line.payment.id),
      // What core's `cancelValidateOrder` reads.
      core_order: { id: order.id as string, status: order.status as string, fulfillments: order.fulfillments ?? [] },
    })
  }
)
