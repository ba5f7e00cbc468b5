import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { attemptsOf } from "../../utils/refund-attempts"
import { isStripeProvider, stripeClient } from "../../utils/stripe-client"
import { applyRefundStatus, ProviderRefundStatus } from "./apply-refund-status"
import { executeRefund } from "./execute-refund"

export const reconcileStripeRefundStepId = "reconcile-stripe-refund"

type Found = { id: string; status: string | null; failure_reason?: string | null; metadata?: Record<string, string> | null }

async function findAtStripe(container: MedusaContainer, row: { id: string; provider_refund_id: string | null }, paymentIntent: string) {
  const stripe = stripeClient(container)
  // Every refund on the payment: ours (by id or by the ledger id in its
  // metadata) and any the ledger does not know.
  const list = await stripe.refunds.list({ payment_intent: paymentIntent, limit: 100 })
  const all = list.data as unknown as Found[]
  let found =
    all.find((refund) => refund.id === row.provider_refund_id || refund.metadata?.refund_request_id === row.id) ?? null
  if (!found && row.provider_refund_id) {
    found = (await stripe.refunds.retrieve(row.provider_refund_id)) as unknown as Found
  }
  return { found, all }
}

/**
 * Asks Stripe how a pending refund ended and settles the row: found (by the
 * ledger id in its metadata) → its status; absent after the wait → sent
 * again, so an unknown outcome never becomes a second refund nor a lost one.
 * Also reports Stripe refunds on the same payment that the ledger does not know.
 */
export const reconcileStripeRefundStep = createStep(
  reconcileStripeRefundStepId,
  async (input: { refund_request_id: string }, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const row = await desk.retrieveRefundRequest(input.refund_request_id)
    const none = { refund_request: row, previous_status: row.status as string, changed: false, action: "none", unknown_refunds: [] as string[] }
    if (!isStripeProvider(row.provider_id) || !["pending", "requires_action"].includes(row.status)) {
      return new StepResponse(none)
    }
    const payment = await container.resolve(Modules.PAYMENT).retrievePayment(row.payment_id, { select: ["id", "data"] })
    const { found, all } = await findAtStripe(container, row, String(payment.data?.id ?? ""))

    const ledger = await desk.listRefundRequests({ payment_id: row.payment_id })
    const known = new Set(ledger.flatMap((r) => [r.id, r.provider_refund_id]).filter(Boolean))
    const strangers = all
      .filter((refund) => !known.has(refund.id) && !known.has(refund.metadata?.refund_request_id ?? ""))
      .map((refund) => refund.id)
    const flagged = strangers.length
      ? await desk.listAuditEntries({ action: "refund_unknown_at_provider", reference: strangers })
      : []
    const unknown = strangers.filter((id) => !flagged.some((entry) => entry.reference === id))

    if (found?.status) {
      const applied = await applyRefundStatus(container, {
        refund_request_id: row.id,
        provider_status: found.status as ProviderRefundStatus,
        provider_refund_id: found.id,
        failure_reason: found.failure_reason ?? null,
        source: "reconciliation",
      })
      return new StepResponse({ ...applied, action: "settled", unknown_refunds: unknown })
    }
    const last = attemptsOf(row.attempt_log).at(-1)
    if (row.status === "pending" && (!last || last.outcome === "ambiguous")) {
      // Stripe lists no refund of ours for this payment after the wait, so
      // none was made: send again. The earlier key would only replay its
      // stored error, so the attempt gets a key of its own.
      const executed = await executeRefund(container, { refund_request_id: row.id, verified_absent: true })
      return new StepResponse({
        refund_request: executed.refund_request,
        previous_status: row.status as string,
        changed: executed.refund_request.status !== row.status || executed.outcome !== "ambiguous",
        action: "resent",
        unknown_refunds: unknown,
      })
    }
    return new StepResponse({ ...none, unknown_refunds: unknown })
  }
  // No compensation: what Stripe says happened, happened.
)
