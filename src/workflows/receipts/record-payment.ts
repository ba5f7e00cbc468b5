import {
  createHook,
  createWorkflow,
  parallelize,
  transform,
  when,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import {
  addOrderTransactionStep,
  authorizePaymentSessionStep,
  createPaymentSessionsWorkflow,
  emitEventStep,
} from "@medusajs/medusa/core-flows"
import { PaymentDeskEvents, PaymentRecordedEventData } from "../../events"
import { summarizeOrderPayments } from "../../utils/orders/order-payment-summary"
import { applyCapture, withBookedCapture } from "../../utils/orders/read-order-payments"
import { acquireOrderLockStep } from "../shared/steps/acquire-order-lock"
import { captureReceivedPaymentStep } from "./steps/capture-received-payment"
import { releaseOrderLockStep } from "../shared/steps/release-order-lock"
import { Actor, resolveActorStep } from "../shared/steps/resolve-actor"
import { validatePaymentReceiptStep } from "./steps/validate-payment-receipt"
import { writeReceiptStep } from "./steps/write-receipt"
import { markReceiptStep } from "./steps/mark-receipt"
import { recordReceiptAuditStep } from "./steps/record-receipt-audit"
import { setAsideDeadSessionsStep } from "./steps/set-aside-dead-sessions"
import { randomUUID } from "crypto"

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
  /** The request's Idempotency-Key, kept on the audit entry. */
  idempotency_key?: string | null
  /**
   * The Idempotency-Key scoped to route and caller: the receipt is written
   * under it before its capture, so a retry after a crash resumes it.
   */
  request_key?: string | null
  /**
   * Names a receipt that must exist once, whoever records it
   * (`bank-transaction:<id>` for a bank statement line): kept as the audit
   * entry's key instead of the request's, and a second receipt under it is
   * refused (409) under the order's lock.
   */
  source_key?: string | null
  /** Kept with the receipt's audit entry (a bank line's payer name and IBAN, its file and line). */
  metadata?: Record<string, unknown> | null
}

export const recordPaymentWorkflowId = "payment-desk-record-payment"

/** The lock every money action on one order takes (kept here for plugins that imported it). */
export { orderLockKey } from "../../utils/orders/order-lock"

/**
 * Records money received for an order (in full or in part) under the order's
 * lock: validates it, writes the receipt under its key (`source_key`, the
 * scoped Idempotency-Key, or a new one), captures it on the order's manual
 * payment (an order without one, such as a converted draft order, is paid in
 * full on its unpaid collection through the manual provider, as mark-as-paid
 * does; so is a collection a failed mark-as-paid left `authorized` with a
 * canceled payment, never one with a session someone may still pay), marks
 * the receipt with Medusa's capture, books core's order transaction, appends
 * the audit entry and marks the receipt recorded with it (one transaction),
 * and emits `payment_desk.payment_recorded`.
 * A failure inside the run leaves neither the capture nor the audit entry
 * behind. A run that dies after the capture is finished, never captured
 * again, by the next run under the same key (a retry, a bank line's
 * confirmation or re-import) or by the reconciliation job.
 */
export const recordPaymentWorkflow = createWorkflow(
  recordPaymentWorkflowId,
  (input: WorkflowData<RecordPaymentWorkflowInput>) => {
    const lock = acquireOrderLockStep(transform({ input }, ({ input }) => ({ order_id: input.order_id })))

    const [plan, actor] = parallelize(
      validatePaymentReceiptStep(
        transform({ input }, ({ input }) => ({
          order_id: input.order_id,
          amount: input.amount,
          method: input.method,
          received_at: input.received_at,
          source_key: input.source_key,
          receipt_key: input.source_key ?? input.request_key ?? `receipt:${randomUUID()}`,
          captured_by: input.actor.id ?? null,
        }))
      ),
      resolveActorStep(input.actor)
    )
    const validate = createHook("validate", { input, plan })

    const receipt = writeReceiptStep(
      transform({ input, plan }, ({ input, plan }) => ({
        plan,
        captured_by: input.actor.id ?? null,
        // Enough for another run to write the audit entry this one would have written.
        request: {
          method: input.method,
          reference: input.reference ?? null,
          received_at: new Date(input.received_at ?? Date.now()).toISOString(),
          note: input.note ?? null,
          actor: input.actor,
          ip: input.ip ?? null,
          user_agent: input.user_agent ?? null,
          idempotency_key: input.idempotency_key ?? null,
          source_key: input.source_key ?? null,
          metadata: input.metadata ?? null,
        },
      }))
    )

    // No manual payment to capture on: create and authorize one on the unpaid
    // collection first, exactly as Medusa's mark-as-paid does (every step
    // undoes itself if a later step fails). A collection a failed mark-as-paid
    // left behind has its dead sessions set aside first (restored on failure).
    const created = when("mark-as-paid", { plan }, ({ plan }) => plan.mode === "mark_as_paid").then(() => {
      setAsideDeadSessionsStep(
        transform({ plan }, ({ plan }) => ({ payment_collection_id: plan.payment_collection_id, session_ids: plan.dead_session_ids }))
      )
      const session = createPaymentSessionsWorkflow.runAsStep({
        input: transform({ plan }, ({ plan }) => ({
          payment_collection_id: plan.payment_collection_id,
          provider_id: plan.provider_id,
          data: {},
          context: {},
        })),
      })
      return authorizePaymentSessionStep({ id: session.id })
    })
    const paymentId = transform({ plan, created }, ({ plan, created }) => (created?.id ?? plan.payment_id) as string)

    const captured = when("capture", { plan }, ({ plan }) => plan.mode !== "resume").then(() =>
      captureReceivedPaymentStep(
        transform({ plan, actor, paymentId }, ({ plan, actor, paymentId }) => ({
          order_id: plan.order_id,
          payment_id: paymentId,
          amount: plan.amount,
          currency_code: plan.currency_code,
          captured_by: actor.id,
          restore: plan.restore,
        }))
      )
    )
    // The capture this run made, or the one an earlier run under the key made before it stopped.
    const capture = transform({ plan, captured }, ({ plan, captured }) =>
      captured ?? {
        capture_id: plan.receipt.resume!.capture_id,
        payment_captured_at: plan.order.payment_collections
          .flatMap((c) => c.payments)
          .find((p) => p.id === plan.payment_id)?.captured_at ?? null,
      }
    )
    markReceiptStep(
      transform({ receipt, capture, paymentId }, ({ receipt, capture, paymentId }) => ({
        id: receipt.id,
        from: ["capturing", "captured"] as ("capturing" | "captured")[],
        to: "captured" as const,
        capture_id: capture.capture_id,
        payment_id: paymentId,
      }))
    ).config({ name: "mark-receipt-captured" })

    // Booked on the order as core's capture books it (unless a resumed
    // run's predecessor did), then audited; both are undone with the capture
    // on a later failure.
    when("book-capture", { plan }, ({ plan }) => !plan.receipt.resume?.transaction_booked).then(() =>
      addOrderTransactionStep(
        transform({ plan, capture }, ({ plan, capture }) => ({
          order_id: plan.order_id,
          amount: plan.amount,
          currency_code: plan.currency_code,
          reference: "capture",
          reference_id: capture.capture_id,
        }))
      )
    )
    // The audit entry and the receipt's mark "recorded", in one transaction.
    const auditEntry = recordReceiptAuditStep(
      transform({ input, plan, actor, paymentId, capture, receipt }, ({ input, plan, actor, paymentId, capture, receipt }) => ({
        receipt_id: receipt.id,
        entry: {
          order_id: plan.order_id,
          payment_id: paymentId,
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
          idempotency_key: input.source_key ?? input.idempotency_key ?? null,
          // Names the capture, so the audit of Medusa's own captures knows it is the plugin's.
          metadata: { ...(input.metadata ?? {}), capture_id: capture.capture_id },
        },
      }))
    )

    const paymentRecorded = createHook("paymentRecorded", {
      input,
      audit_entry: auditEntry,
      capture,
    })

    // The order as it stands now, without reading it again: the lock has
    // kept everyone else out since it was read.
    const summary = transform({ plan, capture, created, paymentId }, ({ plan, capture, created, paymentId }) =>
      // A resumed receipt's capture was in the order when it was read; its
      // order transaction (and so Medusa's summary) only if it was booked then.
      plan.mode === "resume"
        ? summarizeOrderPayments(plan.receipt.resume!.transaction_booked ? plan.order : withBookedCapture(plan.order, plan.amount), plan.ledger)
        : summarizeOrderPayments(
        applyCapture(plan.order, {
          payment_id: paymentId,
          collection_id: plan.payment_collection_id,
          created_payment: created
            ? {
                id: created.id,
                provider_id: created.provider_id,
                amount: created.amount,
                currency_code: created.currency_code,
                data: (created.data as Record<string, unknown>) ?? null,
                created_at: created.created_at as Date,
                captured_at: null,
                canceled_at: null,
                captures: [],
                refunds: [],
              }
            : undefined,
          capture_id: capture.capture_id,
          amount: plan.amount,
          payment_captured_at: capture.payment_captured_at,
        }),
        plan.ledger
      )
    )

    emitEventStep({
      eventName: PaymentDeskEvents.PAYMENT_RECORDED,
      data: transform({ input, plan, auditEntry, actor, paymentId, summary }, ({ input, plan, auditEntry, actor, paymentId, summary }) => {
        const data: PaymentRecordedEventData = {
          order_id: plan.order_id,
          payment_id: paymentId,
          audit_entry_id: auditEntry.id,
          amount: plan.amount,
          currency_code: plan.currency_code,
          method: input.method,
          reference: input.reference ?? null,
          actor_id: actor.id,
          outstanding_amount: summary.outstanding_amount,
        }
        return data
      }),
    })

    releaseOrderLockStep(lock)

    return new WorkflowResponse(
      { audit_entry: auditEntry, capture_id: capture.capture_id, summary },
      { hooks: [validate, paymentRecorded] }
    )
  }
)
