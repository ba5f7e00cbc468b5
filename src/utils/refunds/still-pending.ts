import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type { RefundRequestRow } from "../../modules/payment-desk/models/refund-request"
import type { RefundCheckWrite } from "../../modules/payment-desk/refund-ledger"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { withAnswer } from "./attempt-log"
import { gatewayFor, type ProviderListing } from "./gateways"
import { isStaleAnswer, nextState } from "./transitions"

/**
 * Of the rows a reconciliation run is about to check, those whose provider,
 * in the listing this run took after their attempt was dispatched, still
 * reports their current attempt as the row already is (`pending`, or
 * `requires_action`), with no refund on the payment that the ledger does not
 * know: checking them under the order's lock would change nothing but the
 * attempt log's answer and the next look. Those are written for all of them
 * at once (`recordRefundChecks`, a compare-and-set per row on every field it
 * writes) and their ids returned; every other row (an outcome to apply, an
 * absent attempt, an unknown refund to flag, a stale listing, a row changed
 * since it was read) is left to `reconcileRefundWorkflow`. No money moves and
 * nothing is booked here, so no order lock is taken: the compare-and-set is
 * what keeps a concurrent change.
 */
export async function recordStillPendingRefunds(
  container: MedusaContainer,
  items: { rows: { id: string; payment_id: string }[]; listing: ProviderListing | null }[],
  now: Date = new Date()
): Promise<Set<string>> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const listed = items.filter((item) => item.listing)
  const ids = listed.flatMap((item) => item.rows.map((row) => row.id))
  if (!ids.length) {
    return new Set()
  }
  const paymentIds = [...new Set(listed.flatMap((item) => item.rows.map((row) => row.payment_id)))]
  const [rows, ledger] = await Promise.all([
    desk.listRefundRequests({ id: ids }, { take: ids.length }) as unknown as Promise<RefundRequestRow[]>,
    desk.listRefundRequests({ payment_id: paymentIds }, { select: ["id", "payment_id", "provider_refund_id"] }) as unknown as Promise<
      RefundRequestRow[]
    >,
  ])
  const ledgerOf = new Map<string, RefundRequestRow[]>()
  for (const row of ledger) {
    ledgerOf.set(row.payment_id, [...(ledgerOf.get(row.payment_id) ?? []), row])
  }
  const listingOf = new Map(listed.flatMap((item) => item.rows.map((row) => [row.id, item.listing!] as const)))
  const policy = { ...desk.getOptions().refunds, now }

  const checks: RefundCheckWrite[] = []
  for (const row of rows) {
    const listing = listingOf.get(row.id)!
    const fresh = !!row.dispatched_at && new Date(listing.listed_at).getTime() >= new Date(row.dispatched_at).getTime()
    if (!fresh || row.attempts === 0 || row.settled_at || (row.status !== "pending" && row.status !== "requires_action")) {
      continue
    }
    // A fresh listing: the gateway reads it and asks the provider nothing.
    const { answer, unknown_refunds } = await gatewayFor(row.provider_id).find(container, row, ledgerOf.get(row.payment_id) ?? [], listing)
    if (!answer || unknown_refunds.length || answer.outcome !== row.status) {
      continue
    }
    const stale = isStaleAnswer(row, answer)
    const message = answer.message ?? null
    const target = stale ? null : nextState(row, answer.outcome, policy)
    // A new message on a pending row is a change the workflow audits.
    if (!target?.next_attempt_at || target.status !== row.status || (row.status === "pending" && !!message && message !== row.last_error)) {
      continue
    }
    checks.push({
      id: row.id,
      status: row.status,
      attempts: row.attempts,
      from: {
        attempt_log: (row.attempt_log as Record<string, unknown> | null) ?? null,
        provider_refund_id: row.provider_refund_id ?? null,
        last_error: row.last_error ?? null,
      },
      patch: {
        attempt_log: withAnswer(row.attempt_log, row.attempts, answer),
        provider_refund_id: answer.provider_refund_id ?? row.provider_refund_id ?? null,
        last_error: message,
        next_attempt_at: target.next_attempt_at,
      },
    })
  }
  return new Set(checks.length ? await desk.recordRefundChecks(checks) : [])
}
