// Reconciliation at scale: ~1,000 refunds pending at (fake) Stripe, spread
// over 250 payments, checked by the reconciliation job through the real
// `stripe` SDK. Rows and payments are written directly (not 1,000 orders).
// (The store's own 5-minute schedule of the job is kept quiet by integration-tests/setup.js.)
// Writing them takes ~1-2 s. Rows Stripe still reports pending get their next
// look in one bulk compare-and-set per 200 rows (~1 ms a row; two workflows a
// row, as before, took ~35-50 ms), printed below as "ms per run".
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, checkout, customerHeaders } from "../helpers/http"
import { useFakeStripe } from "../helpers/stripe-env"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"
import reconcileRefundsJob from "../../src/jobs/reconcile-refunds"
import { dispatchRefundsToReconcile, reconcileRefundBatch } from "../../src/workflows/refunds/reconcile-pending-refunds"

jest.setTimeout(900_000)

const stripe = useFakeStripe()

const PAYMENTS = 250
const ROWS_PER_PAYMENT = 4

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }
    let orderId: string
    let template: { id: string; intent: string }

    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "Reconcile scale", paymentProviders: ["pp_stripe_stripe"] })
      admin = await adminHeaders(getContainer(), http)
      const customer = await customerHeaders(http, store, "scale@example.com")
      const order = await checkout(http, store, customer, "pp_stripe_stripe", [{ variant_id: store.variant_ids[0], quantity: 2 }])
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["payment_collections.payments.id", "payment_collections.payments.data"],
        filters: { id: order.id },
      })
      const payment = data[0].payment_collections[0].payments[0]
      await http.post(`/admin/payments/${payment.id}/capture`, {}, admin)
      orderId = order.id
      template = { id: payment.id, intent: payment.data.id }
    })

    /** `count` Stripe payments on the order (copies of the real one, each with its own intent) with `perPayment` ledger rows pending at Stripe. */
    async function pendingAtStripe(tag: string, count: number, perPayment: number) {
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await pg.raw(
        `insert into payment
         select (jsonb_populate_record(null::payment, to_jsonb(p) || jsonb_build_object(
                   'id', 'pay_${tag}_' || g, 'payment_session_id', 'payses_${tag}_' || g,
                   'data', jsonb_build_object('id', 'pi_${tag}_' || g)))).*
           from payment p, generate_series(1, ?) g where p.id = ?`,
        [count, template.id]
      )
      const desk = getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
      const now = Date.now()
      const rows: Record<string, unknown>[] = []
      for (let p = 1; p <= count; p++) {
        stripe.intents.set(`pi_${tag}_${p}`, { id: `pi_${tag}_${p}`, object: "payment_intent", amount: 10_000, amount_received: 10_000, currency: "eur", status: "succeeded" })
        for (let r = 0; r < perPayment; r++) {
          const n = (p - 1) * perPayment + r
          rows.push({
            order_id: orderId,
            payment_id: `pay_${tag}_${p}`,
            provider_id: "pp_stripe_stripe",
            amount: 1,
            currency_code: "eur",
            status: "pending",
            idempotency_key: `${tag}-${n}`,
            provider_key: `${tag}-${n}:1`,
            attempts: 1,
            attempt_log: { attempts: [{ attempt: 1, provider_key: `${tag}-${n}:1`, outcome: "pending" }] },
            dispatched_at: new Date(now - 30 * 60_000),
            // Rows of one payment are due far apart: the job must still list the payment once.
            next_attempt_at: new Date(now - 20 * 60_000 + ((n * 7919) % (count * perPayment)) * 1000),
            requested_by_type: "user",
            requested_by_id: "user_scale",
            requested_at: new Date(now - 30 * 60_000),
          })
        }
      }
      const created = (await desk.createRefundRequests(rows as never)) as unknown as { id: string; payment_id: string }[]
      for (const row of created) {
        const refundId = `re_${row.id}`
        stripe.refunds.set(refundId, {
          id: refundId,
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
      return created
    }

    it("checks 1,000 pending Stripe refunds with one list call per payment, within the budget, retrying 429s, none starved", async () => {
      const desk = getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
      const rows = await pendingAtStripe("scale", PAYMENTS, ROWS_PER_PAYMENT)
      expect(rows).toHaveLength(1000)
      const ids = rows.map((row) => row.id)
      const budget = desk.getOptions().refunds.reconcile_budget
      expect(budget).toBe(100)
      const startedAt = Date.now()

      // Stripe rate limits the first two list requests (Retry-After: 0).
      stripe.rateLimitNextLists = 2
      stripe.retryAfterSeconds = 0
      const reports: Awaited<ReturnType<typeof reconcileRefundsJob>>[] = []
      const callsPerRun: number[] = []
      const msPerRun: number[] = []
      let runs = 0
      for (; runs < 6; runs++) {
        const before = stripe.refundListCalls
        const runStarted = Date.now()
        const report = await reconcileRefundsJob(getContainer())
        msPerRun.push(Date.now() - runStarted)
        callsPerRun.push(stripe.refundListCalls - before)
        reports.push(report)
        const unlooked = await desk.listRefundRequests({ id: ids, next_attempt_at: { $lte: new Date(startedAt) } }, { select: ["id"] })
        if (!unlooked.length) {
          runs++
          break
        }
      }

      const perIntent = new Map<string, number>()
      for (const intent of stripe.refundListIntents) perIntent.set(intent, (perIntent.get(intent) ?? 0) + 1)
      process.stdout.write(
        `[reconcile-scale] runs ${runs}, calls per run ${JSON.stringify(callsPerRun)}, reports ${JSON.stringify(reports)}, intents listed more than once ${JSON.stringify([...perIntent].filter(([, n]) => n > 1).slice(0, 10))}\n`
      )
      // Every row was looked at within ceil(250 / (100 - 2)) = 3 runs.
      expect(runs).toBeLessThanOrEqual(3)
      const after = await desk.listRefundRequests({ id: ids }, { select: ["id", "status", "next_attempt_at", "provider_refund_id"] })
      expect(after.every((row) => row.status === "pending" && new Date(row.next_attempt_at!).getTime() > startedAt)).toBe(true)
      expect(after.every((row) => row.provider_refund_id === `re_${row.id}`)).toBe(true)
      // Budget: no run asked Stripe more than 100 times; the fake and the job agree.
      expect(Math.max(...callsPerRun)).toBeLessThanOrEqual(budget)
      expect(reports.map((r) => r.provider_calls)).toEqual(callsPerRun)
      // One list per payment (plus the two refused requests), not one per row.
      const total = callsPerRun.reduce((a, b) => a + b, 0)
      expect(total).toBe(PAYMENTS + 2)
      expect(stripe.rateLimited).toBe(2)
      expect(reports[0].rate_limited).toBe(2)
      expect(reports.reduce((a, r) => a + r.failed, 0)).toBe(0)
      expect(reports.reduce((a, r) => a + r.checked, 0)).toBe(1000)
      // The first run left the rest for later and says how long the oldest has waited; the last left none.
      expect(reports[0].deferred).toBeGreaterThan(0)
      expect(reports[0].oldest_unchecked_age_s).toBeGreaterThan(0)
      expect(reports.at(-1)!.oldest_unchecked_age_s).toBe(0)
      expect(reports.at(-1)!.deferred).toBe(0)
      process.stdout.write(
        `[reconcile-scale] runs ${runs}, calls per run ${JSON.stringify(callsPerRun)}, oldest unchecked age after each run (s) ${JSON.stringify(reports.map((r) => r.oldest_unchecked_age_s))}, ` +
          `ms per run ${JSON.stringify(msPerRun)} (${Math.round(msPerRun.reduce((a, b) => a + b, 0) / reports.reduce((a, r) => a + r.checked, 0))} ms per checked row)\n`
      )
      // The order still reads over HTTP.
      const summary = await http.get(`/admin/payment-desk/orders/${orderId}`, admin)
      expect(summary.status).toBe(200)
    })

    it("on a fleet, hands the due rows to the workers grouped by payment, with shares of the Stripe budget; a batch delivered twice checks nothing twice", async () => {
      const desk = getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
      const logger = getContainer().resolve(ContainerRegistrationKeys.LOGGER)
      // 60 payments of 2 rows: batches of 25 + 25 + 10 payments, shares 42 + 42 + 16 of the 100 calls.
      const rows = await pendingAtStripe("fleet", 60, 2)
      const ids = rows.map((row) => row.id)
      const startedAt = Date.now()
      const callsBefore = stripe.refundListCalls

      const found = TestEventUtils.waitSubscribersExecution("payment_desk.refunds_to_reconcile_found", getContainer().resolve(Modules.EVENT_BUS), {
        timeout: 120_000,
        triggerCount: 3,
      })
      expect(await dispatchRefundsToReconcile(getContainer())).toEqual({ due: 120, batches: 3 })
      await found
      // The plugin's subscriber (here in this process, the local event bus) checked every row: one list call per payment.
      const after = await desk.listRefundRequests({ id: ids }, { select: ["id", "status", "next_attempt_at", "provider_refund_id"] })
      expect(after.filter((row) => row.status === "pending" && new Date(row.next_attempt_at!).getTime() > startedAt)).toHaveLength(120)
      expect(after.every((row) => row.provider_refund_id === `re_${row.id}`)).toBe(true)
      expect(stripe.refundListCalls - callsBefore).toBe(60)

      // Every batch delivered again (its worker died before BullMQ heard back): no row is due, Stripe is not asked.
      const again = await reconcileRefundBatch(getContainer(), logger, ids, 100)
      expect(again).toMatchObject({ checked: 0, failed: 0, provider_calls: 0, deferred: 0 })
      expect(stripe.refundListCalls - callsBefore).toBe(60)
      // A batch whose share is spent leaves its rows due for the next run, the oldest first.
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await pg.raw(`update payment_desk_refund_request set next_attempt_at = ? where id = any(?)`, [new Date(startedAt - 60_000), ids.slice(0, 4)])
      const spent = await reconcileRefundBatch(getContainer(), logger, ids.slice(0, 4), 0)
      expect(spent).toMatchObject({ checked: 0, provider_calls: 0, deferred: 4 })
      expect(spent.oldest_unchecked_age_s).toBeGreaterThanOrEqual(60)
    })

    it("writes the still-pending rows at once but never over a change made meanwhile: a webhook's success stands, a row another run marked goes to the workflow", async () => {
      const desk = getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
      const rows = await pendingAtStripe("race", 3, 2)
      const [settledMeanwhile, markedMeanwhile] = [rows[0].id, rows[1].id]
      const absentLog = { attempts: [{ attempt: 1, provider_key: "race-1:1", outcome: "absent" }] }
      // Between the job's read of the rows and its write: a webhook settles one
      // row, another run marks the other's attempt absent (same status and attempt).
      const concurrently = async () => {
        await desk.transitionRefundRequest({
          id: settledMeanwhile,
          from: ["pending"],
          to: "succeeded",
          attempts: 1,
          patch: { provider_refund_id: `re_${settledMeanwhile}`, next_attempt_at: null, settled_at: new Date() },
        })
        await desk.transitionRefundRequest({ id: markedMeanwhile, from: ["pending"], to: "pending", attempts: 1, patch: { attempt_log: absentLog } })
      }
      const bulk = desk.recordRefundChecks
      let asked: string[] = []
      let written: string[] = []
      desk.recordRefundChecks = async (...args: Parameters<typeof bulk>) => {
        asked = args[0].map((check) => check.id)
        await concurrently()
        written = await bulk.apply(desk, args)
        return written
      }
      let report: Awaited<ReturnType<typeof reconcileRefundsJob>>
      try {
        report = await reconcileRefundsJob(getContainer())
      } finally {
        desk.recordRefundChecks = bulk
      }
      const ids = rows.map((row) => row.id)
      const after = new Map((await desk.listRefundRequests({ id: ids })).map((row) => [row.id, row]))
      // All six were planned for the bulk write; the two changed meanwhile were not written by it.
      expect([asked.sort(), written.sort()]).toEqual([[...ids].sort(), ids.slice(2).sort()])
      // The webhook's success stands (the workflow then finds nothing to do on it).
      expect(after.get(settledMeanwhile)).toMatchObject({ status: "succeeded", next_attempt_at: null })
      // The marked row went to the workflow, which read it under the lock: Stripe has the
      // attempt, pending, so it is pending with Stripe's answer and its next look.
      expect(after.get(markedMeanwhile)).toMatchObject({ status: "pending", provider_refund_id: `re_${markedMeanwhile}` })
      expect((after.get(markedMeanwhile)!.attempt_log as typeof absentLog).attempts[0].outcome).toBe("pending")
      // The four rows nobody touched were written at once.
      const untouched = ids.slice(2).map((id) => after.get(id)!)
      expect(
        untouched.every(
          (row) =>
            row.status === "pending" &&
            row.provider_refund_id === `re_${row.id}` &&
            new Date(row.next_attempt_at!).getTime() > Date.now() &&
            (row.attempt_log as typeof absentLog).attempts[0].outcome === "pending"
        )
      ).toBe(true)
      expect(report!.failed).toBe(0)
      expect(report!.checked).toBe(6)
    })

    it("stops asking Stripe for the run when 429s persist (bounded retries), and those rows come first next run", async () => {
      const desk = getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
      const rows = await pendingAtStripe("limited", 10, 2)
      const ids = rows.map((row) => row.id)
      stripe.rateLimitNextLists = 50
      stripe.retryAfterSeconds = 0
      const before = stripe.refundListCalls
      const first = await reconcileRefundsJob(getContainer())
      // One page tried four times (three retries), then the run stops asking.
      expect(stripe.refundListCalls - before).toBe(4)
      expect(first.provider_calls).toBe(4)
      expect(first.rate_limited).toBe(4)
      expect(first.deferred).toBe(20)
      expect(first.checked).toBe(0)
      const untouched = await desk.listRefundRequests({ id: ids }, { select: ["id", "next_attempt_at"] })
      expect(untouched.every((row) => new Date(row.next_attempt_at!).getTime() < Date.now())).toBe(true)

      stripe.rateLimitNextLists = 0
      const second = await reconcileRefundsJob(getContainer())
      expect(second.checked).toBe(20)
      expect(second.provider_calls).toBe(10)
      expect(second.deferred).toBe(0)
    })
  },
})
