import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type { RefundStatus } from "../../modules/payment-desk/models/refund-request"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { methodFromProviderId } from "../../providers/manual-payment/options"
import { bookLedgerRefund } from "../../utils/medusa-refunds"
import { attemptsOf, providerKeyFor, RefundAttempt, smallestUnit } from "../../utils/refund-attempts"
import { isAmbiguousStripeError, isStripeProvider, stripeClient } from "../../utils/stripe-client"

export type ExecuteRefundStepInput = {
  refund_request_id: string
  actor_id?: string | null
  /** Reconciliation found no refund at the provider for the earlier attempts. */
  verified_absent?: boolean
}

type RefundRow = Awaited<ReturnType<PaymentDeskModuleService["retrieveRefundRequest"]>>

type Settlement = {
  status: RefundStatus
  provider_refund_id?: string | null
  medusa_refund_id?: string | null
  last_error?: string | null
  attempt: RefundAttempt
}

export const executeRefundStepId = "execute-refund"

const errorOf = (error: unknown) => {
  const e = error as { type?: string; code?: string; statusCode?: number; message?: string }
  return { type: e?.type, code: e?.code, status: e?.statusCode, message: e?.message ?? String(error) }
}

/** Stripe: the plugin's client, the refund's own idempotency key, metadata pointing back to the ledger. */
async function refundWithStripe(
  container: MedusaContainer,
  row: RefundRow,
  payment: { data: Record<string, unknown> | null },
  base: Omit<RefundAttempt, "request" | "outcome">
): Promise<Settlement> {
  const request = {
    payment_intent: String(payment.data?.id ?? ""),
    amount: smallestUnit(row.amount, row.currency_code),
    metadata: { refund_request_id: row.id, order_id: row.order_id, payment_id: row.payment_id },
  }
  let refund: Awaited<ReturnType<ReturnType<typeof stripeClient>["refunds"]["create"]>>
  try {
    refund = await stripeClient(container).refunds.create(request, { idempotencyKey: base.provider_key })
  } catch (error) {
    const failure = errorOf(error)
    if (isAmbiguousStripeError(error)) {
      // Stripe may have taken it: stay pending, never retry with a new key.
      return {
        status: "pending",
        last_error: `Outcome unknown (${failure.type ?? "error"}): ${failure.message}`,
        attempt: { ...base, request, error: failure, outcome: "ambiguous" },
      }
    }
    return {
      status: "failed",
      last_error: `Stripe refused the refund (${failure.code ?? failure.type ?? "error"}): ${failure.message}`,
      attempt: { ...base, request, error: failure, outcome: "failed" },
    }
  }
  {
    const response = { id: refund.id, status: refund.status, amount: refund.amount, failure_reason: refund.failure_reason ?? null }
    if (refund.status === "succeeded") {
      const booked = await bookLedgerRefund(container, row)
      return {
        status: "succeeded",
        provider_refund_id: refund.id,
        medusa_refund_id: booked.refund_id,
        last_error: null,
        attempt: { ...base, request, response, outcome: "succeeded" },
      }
    }
    if (refund.status === "failed" || refund.status === "canceled") {
      return {
        status: "failed",
        provider_refund_id: refund.id,
        last_error: `Stripe refund ${refund.status}: ${refund.failure_reason ?? "no reason given"}`,
        attempt: { ...base, request, response, outcome: "failed" },
      }
    }
    const status: RefundStatus = refund.status === "requires_action" ? "requires_action" : "pending"
    return { status, provider_refund_id: refund.id, last_error: null, attempt: { ...base, request, response, outcome: status } }
  }
}

/** Any other provider, manual methods included: through Medusa's payment module. */
async function refundWithPaymentModule(
  container: MedusaContainer,
  row: RefundRow,
  base: Omit<RefundAttempt, "request" | "outcome">,
  actorId: string | null | undefined
): Promise<Settlement> {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const orderModule = container.resolve(Modules.ORDER)
  const request = {
    payment_id: row.payment_id,
    amount: MathBN.convert(row.amount).toNumber(),
    created_by: actorId ?? row.requested_by_id ?? undefined,
    note: row.note ?? undefined,
    refund_reason_id: row.refund_reason_id ?? undefined,
  }
  const manual = !!methodFromProviderId(row.provider_id)
  try {
    const before = await paymentModule.listRefunds({ payment_id: row.payment_id }, { select: ["id"] })
    const known = new Set(before.map((refund) => refund.id))
    const payment = await paymentModule.refundPayment(request)
    const refund = (payment.refunds ?? []).find((r) => !known.has(r.id))
    if (refund) {
      await orderModule.addOrderTransactions([
        {
          order_id: row.order_id,
          amount: MathBN.mult(row.amount, -1),
          currency_code: row.currency_code,
          reference: "refund",
          reference_id: refund.id,
        },
      ])
    }
    return {
      // A manual method moves no money: the merchant pays it out by hand.
      status: manual ? "awaiting_payout" : "succeeded",
      medusa_refund_id: refund?.id ?? null,
      last_error: null,
      attempt: { ...base, request, response: { refund_id: refund?.id ?? null }, outcome: manual ? "recorded" : "succeeded" },
    }
  } catch (error) {
    const failure = errorOf(error)
    return {
      status: "failed",
      last_error: `The provider refused the refund: ${failure.message}`,
      attempt: { ...base, request, error: failure, outcome: "failed" },
    }
  }
}

/**
 * Calls the provider for a pending ledger row and settles the row from the
 * answer: `succeeded`, `awaiting_payout` (manual methods), `failed` on a
 * definite refusal, still `pending` when the outcome is unknown (timeout,
 * 5xx, lost connection) for reconciliation to settle. Refunds the system
 * started are scheduled for another attempt with backoff, and need a human
 * (`requires_action`) after `refunds.maxAttempts`.
 */
export const executeRefundStep = createStep(
  executeRefundStepId,
  async (input: ExecuteRefundStepInput, { container }) => new StepResponse(await executeRefund(container, input))
  // No compensation: once the provider was called the money may have left.
  // The row keeps what happened, for reconciliation and for the merchant.
)

/** The work of `executeRefundStep`, for steps that decide to call the provider themselves (reconciliation). */
export async function executeRefund(container: MedusaContainer, input: ExecuteRefundStepInput) {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const paymentModule = container.resolve(Modules.PAYMENT)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const payment = await paymentModule.retrievePayment(row.payment_id, { select: ["id", "data"] })
    const log = attemptsOf(row.attempt_log)
    const base = {
      attempt: row.attempts + 1,
      at: new Date().toISOString(),
      provider_key: providerKeyFor(row.idempotency_key, log, { verifiedAbsent: input.verified_absent }),
    }

    const settled = isStripeProvider(row.provider_id)
      ? await refundWithStripe(container, row, { data: (payment.data as Record<string, unknown>) ?? null }, base)
      : await refundWithPaymentModule(container, row, base, input.actor_id)

    if (process.env.PAYMENT_DESK_TEST_CRASH_AFTER_PROVIDER_CALL === "1") {
      // Test hook: the process dies between the provider's answer and the
      // ledger update; reconciliation must settle the row without a second refund.
      process.exit(86)
    }

    const { refunds: policy } = desk.getOptions()
    let status = settled.status
    let nextAttemptAt: Date | null = null
    if (status === "pending") {
      nextAttemptAt = new Date(Date.now() + policy.reconcileAfterMinutes * 60_000)
    }
    if (status === "failed" && row.requested_by_type === "system") {
      if (base.attempt >= policy.maxAttempts) {
        status = "requires_action"
      } else {
        nextAttemptAt = new Date(Date.now() + policy.retryBackoffMinutes * 60_000 * 2 ** (base.attempt - 1))
      }
    }
    const terminal = status === "succeeded" || status === "failed"
    const updated = await desk.updateRefundRequests({
      id: row.id,
      status,
      attempts: base.attempt,
      provider_refund_id: settled.provider_refund_id ?? row.provider_refund_id,
      medusa_refund_id: settled.medusa_refund_id ?? row.medusa_refund_id,
      last_error: settled.last_error ?? null,
      next_attempt_at: nextAttemptAt,
      settled_at: terminal ? new Date() : null,
      attempt_log: { attempts: [...log, settled.attempt] },
    })
    return { refund_request: updated, previous_status: row.status, outcome: settled.attempt.outcome }
}
