import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { methodFromProviderId } from "../../providers/manual-payment/options"
import {
  assertMoneyAmount,
  capturedOf,
  orderPaymentStatusOf,
  PaymentWithMovements,
  paymentStatusOf,
} from "../../utils/payment-status"

/** The order as `recordPaymentWorkflow` reads it. */
export type ReceiptOrder = {
  id: string
  status: string
  currency_code: string
  summary?: { pending_difference?: BigNumberInput } | null
  payment_collections?: ({
    id: string
    status: string
    amount: BigNumberInput
    captured_amount?: BigNumberInput | null
    refunded_amount?: BigNumberInput | null
    payments?: (PaymentWithMovements | null)[] | null
  } | null)[] | null
}

export type ValidatePaymentReceiptStepInput = {
  order: ReceiptOrder | undefined
  order_id: string
  amount: number
  method: string
  received_at?: Date | string | null
}

/** What the receipt will do: which payment it captures and the states before. */
export type PaymentReceiptPlan = {
  order_id: string
  payment_id: string
  currency_code: string
  amount: number
  payment_status_before: string
  payment_status_after: string
  order_payment_status_before: string
  order_payment_status_after: string
}

export const validatePaymentReceiptStepId = "validate-payment-receipt"

/**
 * Checks a receipt against the order as it is under the order lock: the order
 * exists and is open, the amount is positive, fits the currency's precision
 * and the outstanding amount, and the method is known.
 */
export const validatePaymentReceiptStep = createStep(
  validatePaymentReceiptStepId,
  async (input: ValidatePaymentReceiptStepInput, { container }) => {
    const { order } = input
    if (!order) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${input.order_id} was not found`)
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

    const paymentModule = container.resolve(Modules.PAYMENT)
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const providers = await paymentModule.listPaymentProviders({ is_enabled: true })
    const known = [
      ...providers.map((provider) => methodFromProviderId(provider.id)).filter((m): m is string => !!m),
      ...desk.getOptions().receipt_methods,
    ]
    if (!known.includes(input.method)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `method: "${input.method}" is not a known receipt method (known: ${[...new Set(known)].join(", ")})`
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

    const payment = (order.payment_collections ?? [])
      .flatMap((collection) => collection?.payments ?? [])
      .filter((p): p is PaymentWithMovements => !!p && !p.canceled_at && !!methodFromProviderId(p.provider_id))
      .find((p) => MathBN.gt(MathBN.sub(p.amount, capturedOf(p)), 0))
    if (!payment) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${order.id} has no authorized manual payment left to record a receipt against`
      )
    }
    const remaining = MathBN.sub(payment.amount, capturedOf(payment))
    if (MathBN.gt(input.amount, remaining)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `amount: ${input.amount} ${currency} is more than the ${remaining.toString()} ${currency} still open on payment ${payment.id}`
      )
    }

    // The order's payment status after the capture, computed as Medusa would.
    const after = {
      currency_code: order.currency_code,
      payment_collections: (order.payment_collections ?? []).map((collection) =>
        collection && (collection.payments ?? []).some((p) => p?.id === payment.id)
          ? {
              ...collection,
              captured_amount: MathBN.add(collection.captured_amount ?? 0, input.amount),
              status: MathBN.gte(MathBN.add(collection.captured_amount ?? 0, input.amount), collection.amount)
                ? "completed"
                : collection.status,
            }
          : collection
      ),
    }
    const plan: PaymentReceiptPlan = {
      order_id: order.id,
      payment_id: payment.id,
      currency_code: order.currency_code,
      amount: input.amount,
      payment_status_before: paymentStatusOf(payment),
      payment_status_after: paymentStatusOf(payment, input.amount),
      order_payment_status_before: orderPaymentStatusOf(order),
      order_payment_status_after: orderPaymentStatusOf(after),
    }
    return new StepResponse(plan)
  }
)
