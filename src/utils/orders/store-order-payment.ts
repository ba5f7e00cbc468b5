import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import type { StoreClosePolicy } from "../../modules/payment-desk/options"
import type {
  StoreCancellationRequest,
  StoreOrderPayment,
  StoreOrderPaymentStatus,
  StoreOrderRefund,
} from "../../storefront/types"
import { storeCancellationRequestView, storeClosureView } from "../closures/closure-view"
import { retrieveOrderPaymentSummary } from "./retrieve-order-payments"

/** Who asks: the logged-in customer, or nobody (a guest's order confirmation page). */
export type StoreReader = { customer_id: string | null }

/** Refund statuses a customer follows; `canceled` rows never moved money and are left out. */
const SHOWN_REFUND_STATUSES = ["pending", "requires_action", "succeeded", "awaiting_payout", "failed"]

const iso = (value: Date | string | null | undefined): string | null =>
  value ? new Date(value).toISOString() : null

/**
 * Where a manual order's payment stands, for the customer: instructions,
 * figures, the bank block, the closure, the latest cancellation request and
 * what the customer may do now under the `store_close` policy.
 *
 * Who may read it, like Medusa's own `GET /store/orders/:id` (readable by its
 * id, for the confirmation page after a guest checkout), with one limit: the
 * order of a customer with an account is shown only to that customer logged
 * in; anyone else gets the same 404 as for an order that does not exist.
 * 404 too for an order not paid with a manual method.
 */
export async function retrieveStoreOrderPayment(
  scope: MedusaContainer,
  orderId: string,
  reader: StoreReader
): Promise<StoreOrderPayment> {
  const summary = await retrieveOrderPaymentSummary(scope, orderId)
  const notFound = () =>
    new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${orderId} was not found`)
  if (summary.customer_id !== reader.customer_id) {
    if (reader.customer_id || (await hasAccount(scope, summary.customer_id))) {
      throw notFound()
    }
  }
  if (!summary.payment_method_name) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Order with id: ${orderId} is not paid with a manual payment method, so it has no payment instructions`
    )
  }
  const desk = scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [closures, requests] = await Promise.all([
    desk.listOrderClosures({ order_id: orderId }, { take: 1 }),
    desk.listCancellationRequests({ order_id: orderId }, { take: 1, order: { created_at: "DESC" } }),
  ])
  const closure = closures[0] ? storeClosureView(closures[0]) : null
  const request = requests[0] ? (storeCancellationRequestView(requests[0]) as StoreCancellationRequest) : null

  const closed = !!closure || summary.status === "canceled"
  const status: StoreOrderPaymentStatus = closed
    ? "closed"
    : summary.outstanding_amount > 0
      ? summary.paid_total > 0
        ? "partially_paid"
        : "awaiting_payment"
      : "paid"
  const lastCapture = summary.payments
    .map((payment) => payment.captured_at)
    .filter((at): at is string => !!at)
    .sort()
    .pop()
  const actions = storeOrderActions({
    owner: !!reader.customer_id && reader.customer_id === summary.customer_id,
    closed,
    request_open: request?.status === "open",
    // "Paid" here is what the close workflow refuses under `unpaid_only`/`request`: money it would refund.
    holds_money: MathBN.gt(summary.refundable_amount, 0),
    policy: desk.getOptions().store_close,
  })
  const refunds: StoreOrderRefund[] = summary.refunds
    .filter((row) => SHOWN_REFUND_STATUSES.includes(row.status))
    .map((row) => ({
      amount: Number(MathBN.convert(row.amount).toString()),
      currency_code: row.currency_code,
      status: row.status as StoreOrderRefund["status"],
      created_at: iso(row.created_at),
    }))

  return {
    order_id: summary.order_id,
    display_id: summary.display_id,
    method: summary.payment_method,
    display_name: summary.payment_method_name,
    kind: summary.account ? "bank_transfer" : "manual",
    instructions: summary.instructions,
    currency_code: summary.currency_code,
    total: summary.total,
    paid_total: summary.paid_total,
    refunded_total: summary.refunded_total,
    amount_due: summary.outstanding_amount,
    status,
    pay_by: summary.pay_by,
    overdue: !closed && summary.outstanding_amount > 0 && !!summary.pay_by && Date.parse(summary.pay_by) < Date.now(),
    paid_at: status === "paid" ? lastCapture ?? null : null,
    reference: summary.reference,
    account: summary.account,
    qr_svg: summary.qr_svg,
    epc_payload: summary.epc_payload,
    closure: closure ? { ...closure, closed_at: iso(closure.closed_at) as string } : null,
    cancellation_request: request
      ? { ...request, answered_at: iso(request.answered_at), created_at: iso(request.created_at) as string }
      : null,
    refunds,
    actions,
  }
}

/**
 * What the customer may do with an order under the store's `store_close`
 * policy: only its owner, logged in, on an order neither closed nor waiting
 * on an open request; `close` when the order holds no money (or under
 * `immediate`, which refunds first), `request_cancellation` when it does
 * under `request`. The close route decides again under the order's lock;
 * this only tells the storefront which button to offer.
 */
export function storeOrderActions(state: {
  owner: boolean
  closed: boolean
  request_open: boolean
  holds_money: boolean
  policy: StoreClosePolicy
}): StoreOrderPayment["actions"] {
  const open = state.owner && !state.closed && !state.request_open
  return {
    close: open && (!state.holds_money || state.policy === "immediate"),
    request_cancellation: open && state.holds_money && state.policy === "request",
  }
}

/** Whether the order's customer has an account (a guest checkout makes one without). */
async function hasAccount(scope: MedusaContainer, customerId: string | null): Promise<boolean> {
  if (!customerId) {
    return false
  }
  const pg = scope.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await pg.raw(`select has_account from customer where id = ? and deleted_at is null`, [customerId])
  return rows[0]?.has_account === true
}
