import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { methodFromProviderId } from "../../../providers/manual-payment/options"
import {
  assertMoneyAmount,
  capturedOf,
  orderPaymentStatusOf,
  paymentStatusOf,
} from "../../../utils/orders/payment-status"
import { OrderPaymentState, readOrderPayments } from "../../../utils/orders/read-order-payments"
import { listReceiptMethods } from "../../../utils/orders/receipt-methods"
import { UnpaidCollection, unpaidCollectionOf } from "../../../utils/orders/unpaid-collection"
import { listOrderRefunds } from "../../../utils/orders/retrieve-order-payments"
import type { LedgerRefund } from "../../../utils/orders/order-payment-summary"
import type { CaptureRestorePoint } from "./capture-received-payment"
import { findReceiptCapture, ReceiptCapture } from "../../../utils/orders/receipt-capture"
import type { ReceiptRow } from "../../../modules/payment-desk/models/receipt"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export type ValidatePaymentReceiptStepInput = {
  order_id: string
  amount: number
  method: string
  received_at?: Date | string | null
  /** A receipt already recorded under this key (its audit entry carries it) is refused. */
  source_key?: string | null
  /**
   * The key the receipt is written under before its capture: a receipt an
   * earlier run left under it is resumed from its capture, never captured again.
   */
  receipt_key: string
  /** Who captures (Medusa's `captured_by`): tells a resumed receipt's capture from anyone else's. */
  captured_by?: string | null
}

/** An earlier run's receipt under the same key, and what it got done before it stopped. */
export type ReceiptResume = {
  receipt_id: string
  capture_id: string
  payment_id: string
  /** Whether core's order transaction for the capture is written already. */
  transaction_booked: boolean
}

/** What the receipt will do: which payment it captures and the states before. */
export type PaymentReceiptPlan = {
  /**
   * `capture` on the order's manual payment, `mark_as_paid` an unpaid
   * collection in full, or `resume` the receipt an earlier run captured
   * before it stopped (only its books and audit entry are left to write).
   */
  mode: "capture" | "mark_as_paid" | "resume"
  payment_collection_id: string
  /**
   * `mark_as_paid` only: the collection's dead payment sessions (authorized
   * with a canceled payment, or canceled), set aside before the receipt's
   * own session is created.
   */
  dead_session_ids: string[]
  /** The provider of the payment captured (created first when marking as paid). */
  provider_id: string
  order_id: string
  /** Null when marking as paid: the payment does not exist yet. */
  payment_id: string | null
  currency_code: string
  amount: number
  payment_status_before: string
  payment_status_after: string
  order_payment_status_before: string
  order_payment_status_after: string
  /** What the capture's compensation restores. */
  restore: CaptureRestorePoint
  /** The order as read under the lock, before the receipt. */
  order: OrderPaymentState
  /** The order's refund ledger, read with it. */
  ledger: LedgerRefund[]
  /** The receipt row: its key, a stale one (its run stopped before capturing) to replace, or the capture to resume from. */
  receipt: { key: string; stale_id: string | null; resume: ReceiptResume | null }
}

export const validatePaymentReceiptStepId = "validate-payment-receipt"

/**
 * Reads the order under its lock and checks the receipt against it: the
 * order exists and is open, the amount is positive, fits the currency's precision
 * and the outstanding amount, and the method is known. A receipt an earlier
 * run wrote under the same key and captured is planned as `resume`: its
 * capture stands, only what followed it is written.
 */
export const validatePaymentReceiptStep = createStep(
  validatePaymentReceiptStepId,
  async (input: ValidatePaymentReceiptStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const [order, methods, ledger, earlier, written] = await Promise.all([
      readOrderPayments(container, input.order_id),
      listReceiptMethods(container),
      listOrderRefunds(container, input.order_id),
      input.source_key
        ? desk.listAuditEntries(
            { order_id: input.order_id, action: "payment_recorded", idempotency_key: input.source_key },
            { select: ["id"], take: 1 }
          )
        : Promise.resolve([]),
      desk.findReceiptByKey(input.receipt_key),
    ])
    if (earlier.length || written?.status === "recorded") {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `This receipt was recorded already (audit entry ${earlier[0]?.id ?? written?.audit_entry_id}); it is not recorded twice`
      )
    }
    const unfinished = written && written.status !== "abandoned" ? written : null
    const resumed = unfinished
      ? await findReceiptCapture(container, unfinished, desk.getOptions().order_lock.ttl_seconds)
      : null
    if (unfinished && resumed) {
      return new StepResponse(resumePlan(order, ledger, unfinished, resumed, input))
    }
    if (order.status === "canceled") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${order.id} is canceled: payments can no longer be recorded on it`
      )
    }
    assertMoneyAmount("amount", input.amount, order.currency_code)

    if (input.received_at && new Date(input.received_at).getTime() > Date.now() + 60_000) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "received_at: cannot be in the future")
    }

    const known = methods.map((method) => method.id)
    if (!known.includes(input.method)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `method: "${input.method}" is not a known receipt method (known: ${known.join(", ")})`
      )
    }

    const pending = MathBN.convert(order.summary?.pending_difference ?? 0)
    const outstanding = MathBN.gt(pending, 0) ? pending : MathBN.convert(0)
    const currency = order.currency_code.toUpperCase()
    if (MathBN.gt(input.amount, outstanding)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        MathBN.eq(outstanding, 0)
          ? `amount: order ${order.id} has nothing outstanding, it is paid in full`
          : `amount: ${input.amount} ${currency} is more than the outstanding amount of ${outstanding.toString()} ${currency}`
      )
    }

    const open = (p: (typeof order.payment_collections)[number]["payments"][number]) => MathBN.sub(p.amount, capturedOf(p))
    const manual = order.payment_collections
      .flatMap((collection) => collection.payments)
      .filter((p) => !p.canceled_at && !!methodFromProviderId(p.provider_id) && MathBN.gt(open(p), 0))
    const unpaidCollections = order.payment_collections.map(unpaidCollectionOf).filter((c): c is UnpaidCollection => !!c)
    // The manual payment that can take the whole receipt; else, an unpaid
    // collection the receipt pays in full, the way Medusa's mark-as-paid does
    // (a draft order, an order paid "later", the collection an order edit
    // opened for the difference while the first payment is partly captured,
    // or one a failed mark-as-paid left `authorized` with a canceled payment).
    const payment =
      manual.find((p) => MathBN.gte(open(p), input.amount)) ??
      (unpaidCollections.some((u) => MathBN.eq(u.collection.amount, input.amount)) ? undefined : manual[0])
    const unpaid = payment
      ? undefined
      : unpaidCollections.find((u) => MathBN.eq(u.collection.amount, input.amount)) ?? unpaidCollections[0]
    const collection = payment
      ? order.payment_collections.find((c) => c.payments.some((p) => p.id === payment.id))!
      : unpaid?.collection
    if (!collection) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${order.id} has no authorized manual payment and no unpaid payment collection to record a receipt against`
      )
    }
    const left = payment ? open(payment) : MathBN.convert(collection.amount)
    if (payment && MathBN.gt(input.amount, left)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `amount: ${input.amount} ${currency} is more than the ${left.toString()} ${currency} still open on payment ${payment.id}`
      )
    }
    if (!payment && !MathBN.eq(input.amount, left)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `amount: order ${order.id} has no manual payment, so its unpaid collection can only be recorded in full (${left.toString()} ${currency}), got ${input.amount} ${currency}`
      )
    }

    // The order's payment status after the capture, computed as Medusa would.
    const capturedAfter = MathBN.add(collection.captured_amount ?? 0, input.amount)
    const after = {
      currency_code: order.currency_code,
      payment_collections: order.payment_collections.map((c) =>
        c.id === collection.id
          ? {
              ...c,
              captured_amount: capturedAfter,
              status: MathBN.gte(capturedAfter, c.amount) ? "completed" : c.status,
            }
          : c
      ),
    }
    const manualMethod = methods.find((m) => m.id === input.method && m.provider_id)
    const plan: PaymentReceiptPlan = {
      mode: payment ? "capture" : "mark_as_paid",
      payment_collection_id: collection.id,
      dead_session_ids: unpaid?.dead_session_ids ?? [],
      provider_id: payment ? payment.provider_id : manualMethod?.provider_id ?? "pp_system_default",
      order_id: order.id,
      payment_id: payment?.id ?? null,
      currency_code: order.currency_code,
      amount: input.amount,
      payment_status_before: payment ? paymentStatusOf(payment) : "not_paid",
      payment_status_after: payment ? paymentStatusOf(payment, input.amount) : "captured",
      order_payment_status_before: orderPaymentStatusOf(order),
      order_payment_status_after: orderPaymentStatusOf(after),
      order,
      ledger,
      receipt: { key: input.receipt_key, stale_id: written?.id ?? null, resume: null },
      restore: {
        capture_ids: payment?.captures.map((row) => row.id) ?? [],
        payment: payment ? { data: payment.data ?? null, captured_at: payment.captured_at ?? null } : null,
        collection: {
          id: collection.id,
          status: collection.status,
          captured_amount: MathBN.convert(collection.captured_amount ?? 0).toString(),
          completed_at: collection.completed_at ?? null,
        },
      },
    }
    return new StepResponse(plan)
  }
)

/**
 * The plan of a receipt whose earlier run captured and then stopped: the
 * capture is in the order already, so nothing is checked against what the
 * order owes; the same receipt under the same key must name the same amount.
 */
function resumePlan(
  order: OrderPaymentState,
  ledger: LedgerRefund[],
  receipt: ReceiptRow,
  capture: ReceiptCapture,
  input: ValidatePaymentReceiptStepInput
): PaymentReceiptPlan {
  if (!MathBN.eq(receipt.amount as never, input.amount)) {
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      `amount: this receipt was started for ${MathBN.convert(receipt.amount as never).toString()} ${receipt.currency_code.toUpperCase()}; it is finished with that amount, not ${input.amount}`
    )
  }
  const collection = order.payment_collections.find((c) => c.id === receipt.payment_collection_id)
  const payment = collection?.payments.find((p) => p.id === capture.payment_id)
  if (!collection || !payment) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `The payment captured by receipt ${receipt.id} is no longer on order ${order.id}`)
  }
  const without = { ...payment, captures: payment.captures.filter((row) => row.id !== capture.capture_id) }
  const before = {
    currency_code: order.currency_code,
    payment_collections: order.payment_collections.map((c) =>
      c.id === collection.id
        ? { ...c, captured_amount: MathBN.sub(c.captured_amount ?? 0, input.amount), status: c.status === "completed" ? "authorized" : c.status }
        : c
    ),
  }
  return {
    mode: "resume",
    payment_collection_id: collection.id,
    dead_session_ids: [],
    provider_id: payment.provider_id,
    order_id: order.id,
    payment_id: payment.id,
    currency_code: order.currency_code,
    amount: input.amount,
    payment_status_before: paymentStatusOf(without),
    payment_status_after: paymentStatusOf(payment),
    order_payment_status_before: orderPaymentStatusOf(before),
    order_payment_status_after: orderPaymentStatusOf(order),
    order,
    ledger,
    receipt: {
      key: receipt.key,
      stale_id: null,
      resume: { receipt_id: receipt.id, capture_id: capture.capture_id, payment_id: payment.id, transaction_booked: capture.transaction_booked },
    },
    restore: {
      capture_ids: without.captures.map((row) => row.id),
      payment: { data: payment.data ?? null, captured_at: payment.captured_at ?? null },
      collection: {
        id: collection.id,
        status: collection.status,
        captured_amount: MathBN.convert(collection.captured_amount ?? 0).toString(),
        completed_at: collection.completed_at ?? null,
      },
    },
  }
}
