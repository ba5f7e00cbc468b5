// `medusa exec ./scripts/bench/reconcile.ts` (run by `npm run bench`):
// reconciliation of refunds pending at Stripe, against the fake Stripe server
// of the tests on BENCH_FAKE_STRIPE_PORT (the store's Stripe host points
// there). Rows and payments are written directly, four rows per payment.
// Writes JSON to BENCH_RECONCILE_OUT.
import fs from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { FakeStripe } from "../../integration-tests/helpers/fake-stripe"
import reconcileRefundsJob from "../../src/jobs/reconcile-refunds"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"
import { placeOrder, seedStore } from "../seed/store"

const ROWS_PER_PAYMENT = 4

export default async function reconcileBench({ container }: ExecArgs) {
  const rowsWanted = Number(process.env.BENCH_RECONCILE_ROWS || 1000)
  const payments = Math.ceil(rowsWanted / ROWS_PER_PAYMENT)
  const log = (message: string) => process.stdout.write(`[reconcile] ${message}\n`)
  const stripe = new FakeStripe()
  await stripe.start(Number(process.env.BENCH_FAKE_STRIPE_PORT))
  try {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const store = await seedStore(container, { name: "Reconcile bench" })
    const order = await placeOrder(container, store, {
      provider_id: "pp_manual_bank-transfer",
      email: "reconcile@example.com",
      items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
    })
    log(`Writing ${payments} Stripe payments and ${payments * ROWS_PER_PAYMENT} pending ledger rows`)
    await pg.raw(
      `insert into payment (id, amount, raw_amount, currency_code, provider_id, data, payment_collection_id, payment_session_id, captured_at)
       select 'pay_rb_' || g, 100, '{"value": "100", "precision": 20}'::jsonb, 'eur', 'pp_stripe_stripe',
              jsonb_build_object('id', 'pi_rb_' || g), p.payment_collection_id, 'payses_rb_' || g, now()
         from payment p, generate_series(1, ?) g where p.id = ?`,
      [payments, order.payment_id]
    )
    const now = Date.now()
    const rows: Record<string, unknown>[] = []
    for (let p = 1; p <= payments; p++) {
      stripe.intents.set(`pi_rb_${p}`, { id: `pi_rb_${p}`, object: "payment_intent", amount: 10_000, amount_received: 10_000, currency: "eur", status: "succeeded" })
      for (let r = 0; r < ROWS_PER_PAYMENT; r++) {
        const n = (p - 1) * ROWS_PER_PAYMENT + r
        rows.push({
          order_id: order.order_id,
          payment_id: `pay_rb_${p}`,
          provider_id: "pp_stripe_stripe",
          amount: 1,
          currency_code: "eur",
          status: "pending",
          idempotency_key: `rb-${n}`,
          provider_key: `rb-${n}:1`,
          attempts: 1,
          dispatched_at: new Date(now - 30 * 60_000),
          // Due at scattered times: the rows of one payment are far apart in the queue.
          next_attempt_at: new Date(now - 20 * 60_000 + ((n * 7919) % (payments * ROWS_PER_PAYMENT)) * 1000),
          requested_by_type: "user",
          requested_by_id: "user_bench",
          requested_at: new Date(now - 30 * 60_000),
        })
      }
    }
    const created = (await desk.createRefundRequests(rows as never)) as unknown as { id: string; payment_id: string }[]
    for (const row of created) {
      stripe.refunds.set(`re_${row.id}`, {
        id: `re_${row.id}`,
        object: "refund",
        amount: 100,
        currency: "eur",
        payment_intent: `pi_${row.payment_id.slice("pay_".length)}`,
        status: "pending",
        failure_reason: null,
        metadata: { refund_request_id: row.id, attempt: "1" },
        created: Math.floor(now / 1000),
      })
    }
    const ids = created.map((row) => row.id)
    const budget = desk.getOptions().refunds.reconcile_budget
    stripe.rateLimitNextLists = 2
    stripe.retryAfterSeconds = 0
    const startedAt = new Date()
    const runs: { calls: number; rate_limited: number; checked: number; deferred: number; failed: number; oldest_unchecked_age_s: number; ms: number }[] = []
    for (let run = 0; run < 20; run++) {
      const calls = stripe.refundListCalls
      const t = performance.now()
      const report = await reconcileRefundsJob(container)
      runs.push({
        calls: stripe.refundListCalls - calls,
        rate_limited: report.rate_limited,
        checked: report.checked,
        deferred: report.deferred,
        failed: report.failed,
        oldest_unchecked_age_s: report.oldest_unchecked_age_s,
        ms: Math.round(performance.now() - t),
      })
      log(`run ${run + 1}: ${JSON.stringify(runs.at(-1))}`)
      const unlooked = await desk.listRefundRequests({ id: ids, next_attempt_at: { $lte: startedAt } }, { select: ["id"], take: 1 })
      if (!unlooked.length) {
        break
      }
    }
    const result = {
      rows: created.length,
      payments,
      budget,
      runs,
      max_calls_per_run: Math.max(...runs.map((r) => r.calls)),
      retries_max_per_run: Math.max(...runs.map((r) => r.rate_limited)),
      total_calls: runs.reduce((a, r) => a + r.calls, 0),
      rate_limited: stripe.rateLimited,
      checked: runs.reduce((a, r) => a + r.checked, 0),
      failed: runs.reduce((a, r) => a + r.failed, 0),
      runs_to_see_all: runs.length,
      runs_bound: Math.ceil(payments / (budget - 2)),
      oldest_unchecked_age_s: Math.max(...runs.map((r) => r.oldest_unchecked_age_s)),
      ms_per_run: Math.round(runs.reduce((a, r) => a + r.ms, 0) / runs.length),
      target: "list calls per run <= min(payments, budget); every row looked at within ceil(payments / budget) runs",
    }
    fs.writeFileSync(process.env.BENCH_RECONCILE_OUT!, JSON.stringify(result, null, 2))
  } finally {
    await stripe.stop()
  }
}
