import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, checkout, customerHeaders, failure } from "../helpers/http"
import { useFakeStripe } from "../helpers/stripe-env"
import { SubscriberTracker, trackSubscribers } from "../helpers/subscribers"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import reconcileRefundsJob from "../../src/jobs/reconcile-refunds"
import { issueRefundWorkflow } from "../../src/workflows/refunds/issue-refund"
import { MedusaError } from "@medusajs/framework/utils"
import { execFile } from "node:child_process"
import path from "node:path"
import { promisify } from "node:util"

// The orders are placed once, in beforeAll, before the test runner snapshots
// the database (after the suite's beforeAll hooks; it restores the snapshot
// before every test): each test starts from a fresh copy of the same orders,
// in the state it would have placed them in, and the fake Stripe is put back
// to the same point with them. No test here is about placing an order, so a
// copy is as good as a placed one; the order ids are the same in every test,
// which is why nothing a test set off may still be running when it ends.

issueRefundWorkflow.hooks.validate(({ input }) => {
  if (input.note === "VETO") {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Refunds above the daily limit need a manager")
  }
})

jest.setTimeout(300_000)

const stripe = useFakeStripe()

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConfig }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }
    let subscribers: SubscriberTracker
    let restoreStripe: () => void
    /** The orders every test starts from (see the top of the file). */
    let pool: {
      /** A card order of €210 (2 × €100 + €10 shipping) paid with Stripe and captured. */
      cardPaid: { order_id: string; payment_id: string; intent: string }
      /** A bank-transfer order of €210 (2 × €100 + €10 shipping) by manual@example.com, nothing received. */
      bankUnpaid: { order_id: string }
    }

    beforeAll(async () => {
      store = await seedStore(getContainer(), {
        name: "Refunds spec",
        paymentProviders: ["pp_manual_bank-transfer", "pp_manual_cash-on-delivery", "pp_stripe_stripe"],
      })
      admin = await adminHeaders(getContainer(), http)
      subscribers = trackSubscribers(getContainer())
      const [cardPaid, bankUnpaid] = await Promise.all([
        paidStripeOrder("first-card@example.com"),
        placeOrder(getContainer(), store, {
          provider_id: "pp_manual_bank-transfer",
          email: "manual@example.com",
          items: [{ variant_id: store.variant_ids[0], quantity: 2 }],
        }),
      ])
      pool = { cardPaid, bankUnpaid: { order_id: bankUnpaid.order_id } }
      // What placing the orders set off (order.placed's email, payment.captured's audit) lands before the snapshot.
      await subscribers.idle()
      restoreStripe = stripe.snapshot()
    })

    beforeEach(async () => {
      // The database is the snapshot again (the test runner's restore): so is Stripe.
      restoreStripe()
    })

    // Nothing a test set off may land in the next test's copy of the same orders.
    afterEach(() => subscribers.idle())
    afterAll(() => subscribers?.stop())

    /** The pool's paid card order (a copy: each test gets it fresh). */
    const cardOrder = () => ({ ...pool.cardPaid })

    /** A card order of €210 paid with Stripe and captured, as Medusa's admin does it. */
    async function paidStripeOrder(email = `card-${Date.now()}-${Math.random()}@example.com`) {
      const customer = await customerHeaders(http, store, email)
      const order = await checkout(http, store, customer, "pp_stripe_stripe", [
        { variant_id: store.variant_ids[0], quantity: 2 },
      ])
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["payment_collections.payments.id", "payment_collections.payments.data"],
        filters: { id: order.id },
      })
      const payment = data[0].payment_collections[0].payments[0]
      await http.post(`/admin/payments/${payment.id}/capture`, {}, admin)
      return { order_id: order.id as string, payment_id: payment.id as string, intent: payment.data.id as string }
    }

    /** Ledger, Medusa and Stripe, side by side. */
    async function money(orderId: string, intent?: string) {
      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      const rows = await desk.listRefundRequests({ order_id: orderId })
      const summary = (await http.get(`/admin/payment-desk/orders/${orderId}`, admin)).data
      const sum = (statuses: string[]) =>
        rows.filter((r: any) => statuses.includes(r.status)).reduce((s: number, r: any) => s + Number(r.amount), 0)
      return {
        ledger_succeeded: sum(["succeeded"]),
        ledger_open: sum(["pending", "requires_action", "awaiting_payout"]),
        medusa_refunded: summary.refunded_total,
        paid: summary.paid_total,
        refundable: summary.refundable_amount,
        stripe_refunded: intent ? stripe.refundedFor(intent) / 100 : 0,
        rows,
        summary,
      }
    }

    const refund = (orderId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      http.post(`/admin/payment-desk/orders/${orderId}/refunds`, body, { headers: { ...admin.headers, ...headers } })

    it("refunds a manual payment as awaiting payout, then records the payout", async () => {
      const { order_id } = pool.bankUnpaid
      await http.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: 210, method: "bank-transfer" }, admin)

      const over = await failure(refund(order_id, { amount: 210.01 }))
      expect(over).toEqual({
        status: 400,
        data: { type: "invalid_data", message: "amount: 210.01 EUR is more than the refundable amount of 210 EUR" },
      })

      const { data } = await refund(order_id, { amount: 50, note: "Damaged lamp" })
      expect(data.refund_request).toMatchObject({
        status: "awaiting_payout",
        amount: 50,
        currency_code: "eur",
        attempts: 1,
        note: "Damaged lamp",
        idempotency_key: expect.stringMatching(/^payment-desk-refund-/),
        medusa_refund_id: expect.stringMatching(/^ref_/),
      })
      expect(data.summary).toMatchObject({
        paid_total: 210,
        refunded_total: 50,
        refundable_amount: 160,
        awaiting_payout_total: 50,
        pending_refund_total: 0,
      })
      // No second refund of the same money: Medusa's own refund sees it too.
      const tooMuch = await failure(refund(order_id, { amount: 160.01 }))
      expect(tooMuch.data.message).toBe("amount: 160.01 EUR is more than the refundable amount of 160 EUR")

      const id = data.refund_request.id
      const paidOut = await http.post(`/admin/payment-desk/refunds/${id}/payout`, { reference: "SEPA-OUT-1" }, admin)
      expect(paidOut.data.refund_request).toMatchObject({ status: "succeeded", payout_reference: "SEPA-OUT-1" })
      const again = await failure(http.post(`/admin/payment-desk/refunds/${id}/payout`, { reference: "SEPA-OUT-2" }, admin))
      expect(again).toEqual({
        status: 400,
        data: { type: "not_allowed", message: `Refund ${id} is succeeded: only a refund awaiting a manual payout can have its payout recorded` },
      })

      const after = await money(order_id)
      expect(after).toMatchObject({ ledger_succeeded: 50, ledger_open: 0, medusa_refunded: 50, refundable: 160 })
      const actions = after.summary.audit.map((e: { action: string }) => e.action)
      expect(actions).toEqual(
        expect.arrayContaining(["refund_requested", "refund_awaiting_payout", "refund_payout_recorded", "refund_succeeded"])
      )
    })

    it("refunds a Stripe payment: ledger = Medusa = Stripe", async () => {
      const { order_id, intent } = cardOrder()
      const { data } = await refund(order_id, { amount: 30 })
      expect(data.refund_request).toMatchObject({ status: "succeeded", provider_refund_id: expect.stringMatching(/^re_/) })
      expect(stripe.refunds.get(data.refund_request.provider_refund_id)).toMatchObject({
        amount: 3000,
        metadata: { refund_request_id: data.refund_request.id, order_id },
      })
      expect(await money(order_id, intent)).toMatchObject({
        ledger_succeeded: 30,
        medusa_refunded: 30,
        stripe_refunded: 30,
        refundable: 180,
      })
    })

    it("settles a refund Stripe took but whose answer timed out, without a second refund", async () => {
      const { order_id, intent } = cardOrder()
      stripe.refundMode = "timeout_after_taking"
      const { data } = await refund(order_id, { amount: 40 })
      expect(data.refund_request.status).toBe("pending")
      expect(data.refund_request.last_error).toMatch(/^Outcome unknown/)
      expect(stripe.refundExecutions).toBeGreaterThan(0)
      const executions = stripe.refundExecutions
      let state = await money(order_id, intent)
      expect(state).toMatchObject({ ledger_open: 40, medusa_refunded: 0, stripe_refunded: 40, refundable: 170 })

      // A merchant cannot retry a refund whose outcome is unknown.
      const retry = await failure(http.post(`/admin/payment-desk/refunds/${data.refund_request.id}/retry`, {}, admin))
      expect(retry.status).toBe(400)

      stripe.refundMode = "succeed"
      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      await desk.updateRefundRequests({ id: data.refund_request.id, next_attempt_at: new Date(Date.now() - 1000) })
      await reconcileRefundsJob(getContainer())
      await reconcileRefundsJob(getContainer())

      state = await money(order_id, intent)
      expect(stripe.refundExecutions).toBe(executions)
      expect(state).toMatchObject({ ledger_succeeded: 40, ledger_open: 0, medusa_refunded: 40, stripe_refunded: 40, refundable: 170 })
      expect(state.rows[0]).toMatchObject({ status: "succeeded", provider_refund_id: expect.stringMatching(/^re_/) })
    })

    it("re-sends a refund Stripe answered with a 500 once it has verified that Stripe has none", async () => {
      const { order_id, intent } = cardOrder()
      stripe.refundMode = "error_500"
      const { data } = await refund(order_id, { amount: 25 })
      expect(data.refund_request.status).toBe("pending")
      stripe.refundMode = "succeed"
      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      await desk.updateRefundRequests({ id: data.refund_request.id, next_attempt_at: new Date(Date.now() - 1000) })
      await reconcileRefundsJob(getContainer())
      const [row] = await desk.listRefundRequests({ id: data.refund_request.id })
      expect(row.status).toBe("succeeded")
      const keys = row.attempt_log.attempts.map((a: { provider_key: string }) => a.provider_key)
      expect(keys).toEqual([row.idempotency_key, `${row.idempotency_key}:attempt-2`])
      expect([...stripe.refunds.values()].filter((r) => r.payment_intent === intent)).toHaveLength(1)
      expect(await money(order_id, intent)).toMatchObject({ ledger_succeeded: 25, medusa_refunded: 25, stripe_refunded: 25 })
    })

    it("makes one refund for 20 concurrent identical requests with one Idempotency-Key", async () => {
      const { order_id, intent } = cardOrder()
      const before = stripe.refundExecutions
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          refund(order_id, { amount: 15 }, { "idempotency-key": "storm-1" }).catch((e) => e.response)
        )
      )
      const ok = answers.filter((a) => a.status === 200)
      expect(ok.length).toBeGreaterThanOrEqual(1)
      expect(new Set(ok.map((a) => a.data.refund_request.id)).size).toBe(1)
      expect(stripe.refundExecutions - before).toBe(1)
      expect(await money(order_id, intent)).toMatchObject({ ledger_succeeded: 15, medusa_refunded: 15, stripe_refunded: 15 })
    })

    it("never refunds more than was captured under 20 concurrent requests", async () => {
      const { order_id, intent } = cardOrder()
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          refund(order_id, { amount: 20 }, { "idempotency-key": `race-${i}` }).catch((e) => e.response)
        )
      )
      const ok = answers.filter((a) => a.status === 200)
      const refused = answers.filter((a) => a.status === 400)
      // Those that waited longer than order_lock.wait_seconds for the order are told so.
      const busy = answers.filter((a) => a.status === 409)
      expect(ok.length + refused.length + busy.length).toBe(20)
      expect(busy.every((a) => /is in progress/.test(a.data.message))).toBe(true)
      expect(ok.length).toBeGreaterThan(0)
      expect(ok.length).toBeLessThanOrEqual(10) // 10 × €20 of €210
      const refunded = ok.length * 20
      const state = await money(order_id, intent)
      expect(state).toMatchObject({
        ledger_succeeded: refunded,
        medusa_refunded: refunded,
        stripe_refunded: refunded,
        refundable: 210 - refunded,
      })
    })

    it("retries a declined refund with a new provider key and settles it", async () => {
      const { order_id, intent } = cardOrder()
      stripe.refundMode = "decline"
      const { data } = await refund(order_id, { amount: 60 })
      expect(data.refund_request).toMatchObject({ status: "failed", attempts: 1 })
      expect(data.refund_request.last_error).toContain("refund_declined")
      expect(await money(order_id, intent)).toMatchObject({ ledger_succeeded: 0, medusa_refunded: 0, stripe_refunded: 0, refundable: 210 })

      stripe.refundMode = "succeed"
      const retried = await http.post(`/admin/payment-desk/refunds/${data.refund_request.id}/retry`, {}, admin)
      expect(retried.data.refund_request).toMatchObject({ status: "succeeded", attempts: 2 })
      const keys = retried.data.refund_request.attempt_log.attempts.map((a: { provider_key: string }) => a.provider_key)
      expect(keys).toEqual([data.refund_request.idempotency_key, `${data.refund_request.idempotency_key}:attempt-2`])
      expect(await money(order_id, intent)).toMatchObject({ ledger_succeeded: 60, medusa_refunded: 60, stripe_refunded: 60 })
    })

    it("settles pending → succeeded and succeeded → failed through webhooks, once per event", async () => {
      const { order_id, intent } = cardOrder()
      stripe.refundMode = "pending"
      const { data } = await refund(order_id, { amount: 70 })
      expect(data.refund_request.status).toBe("pending")
      expect(await money(order_id, intent)).toMatchObject({ ledger_open: 70, medusa_refunded: 0, refundable: 140 })

      const at = stripe.refunds.get(data.refund_request.provider_refund_id)!
      at.status = "succeeded"
      const delivery = stripe.signedEvent("refund.updated", at)
      const post = (d: { payload: string; header: string }) =>
        http.post("/hooks/payment-desk/stripe", d.payload, {
          headers: { "content-type": "application/json", "stripe-signature": d.header },
        })

      const bad = await failure(
        http.post("/hooks/payment-desk/stripe", delivery.payload, {
          headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=forged" },
        })
      )
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/^Stripe webhook signature verification failed/)
      expect((await money(order_id, intent)).ledger_open).toBe(70)

      const answers = [await post(delivery), await post(delivery), await post(delivery)]
      expect(answers.map((a) => a.data.duplicate)).toEqual([false, true, true])
      let state = await money(order_id, intent)
      expect(state).toMatchObject({ ledger_succeeded: 70, ledger_open: 0, medusa_refunded: 70, stripe_refunded: 70, refundable: 140 })
      expect(state.summary.audit.filter((e: { action: string }) => e.action === "refund_succeeded")).toHaveLength(1)

      at.status = "failed"
      at.failure_reason = "expired_or_canceled_card"
      await post(stripe.signedEvent("refund.failed", at))
      state = await money(order_id, intent)
      expect(state).toMatchObject({ ledger_succeeded: 0, medusa_refunded: 0, refundable: 210 })
      expect(state.rows[0]).toMatchObject({ status: "failed" })
      expect(state.rows[0].last_error).toContain("expired_or_canceled_card")
      const actions = state.summary.audit.map((e: { action: string }) => e.action)
      expect(actions).toEqual(expect.arrayContaining(["refund_failed", "refund_needs_attention"]))
    })

    it("settles a refund after the process died between Stripe's answer and the ledger, with no second refund", async () => {
      const { order_id, intent } = cardOrder()
      const root = path.resolve(__dirname, "../..")
      const db = `postgres://${process.env.DB_USERNAME || "postgres"}${
        process.env.DB_PASSWORD ? `:${process.env.DB_PASSWORD}` : ""
      }@${process.env.DB_HOST || "localhost"}:${process.env.DB_PORT || 5432}/${dbConfig.dbName}`
      const crashed = await promisify(execFile)(
        path.join(root, "node_modules/.bin/medusa"),
        ["exec", "./integration-tests/helpers/crash-refund.ts"],
        {
          cwd: root,
          timeout: 120_000,
          env: {
            ...process.env,
            NODE_OPTIONS: "",
            DATABASE_URL: db,
            PAYMENT_DESK_STRIPE_API_HOST: stripe.url,
            CRASH_ORDER_ID: order_id,
            CRASH_AMOUNT: "45",
          },
        }
      ).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout })
      )
      expect(crashed.code).toBe(86)
      expect(crashed.out).not.toContain("refund finished without crashing")

      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      const [row] = await desk.listRefundRequests({ order_id })
      // The dispatch was recorded before Stripe was called; Stripe took it;
      // the process died before Medusa's books and the row's settlement.
      expect(row).toMatchObject({ status: "pending", attempts: 1, provider_refund_id: null, provider_key: row.idempotency_key })
      expect(row.next_attempt_at).toBeTruthy()
      expect(await money(order_id, intent)).toMatchObject({ ledger_open: 45, medusa_refunded: 0, stripe_refunded: 45, refundable: 165 })

      const executions = stripe.refundExecutions
      await desk.updateRefundRequests({ id: row.id, next_attempt_at: new Date(Date.now() - 1000) })
      await reconcileRefundsJob(getContainer())
      expect(stripe.refundExecutions).toBe(executions)
      expect(await money(order_id, intent)).toMatchObject({ ledger_succeeded: 45, ledger_open: 0, medusa_refunded: 45, stripe_refunded: 45, refundable: 165 })
    })

    it("flags a Stripe refund the ledger does not know, once", async () => {
      const { order_id, intent } = cardOrder()
      stripe.refundMode = "pending"
      const { data } = await refund(order_id, { amount: 10 })
      // Someone refunded €5 straight in Stripe's dashboard.
      const stranger = { id: "re_dashboard_1", object: "refund", amount: 500, currency: "eur", payment_intent: intent, status: "succeeded", metadata: {} }
      stripe.refunds.set(stranger.id, stranger)
      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      for (let i = 0; i < 2; i++) {
        await desk.updateRefundRequests({ id: data.refund_request.id, next_attempt_at: new Date(Date.now() - 1000) })
        await reconcileRefundsJob(getContainer())
      }
      const flags = await desk.listAuditEntries({ order_id, action: "refund_unknown_at_provider" })
      expect(flags).toHaveLength(1)
      expect(flags[0]).toMatchObject({ reference: "re_dashboard_1", actor_type: "system" })
    })

    it("retries a refund the system started with backoff, then asks for a human", async () => {
      const { order_id, intent } = cardOrder()
      stripe.refundMode = "decline"
      const { result } = await issueRefundWorkflow(getContainer()).run({
        input: { order_id, amount: 12, actor: { type: "system", id: "test-system" } },
      })
      expect(result.refund_request).toMatchObject({ status: "failed", attempts: 1 })
      const firstWait = new Date(result.refund_request.next_attempt_at).getTime() - Date.now()
      expect(firstWait).toBeGreaterThan(4 * 60_000) // retryBackoffMinutes: 5
      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      for (let i = 0; i < 6; i++) {
        await desk.updateRefundRequests({ id: result.refund_request.id, next_attempt_at: new Date(Date.now() - 1000) })
        await reconcileRefundsJob(getContainer())
      }
      const [row] = await desk.listRefundRequests({ id: result.refund_request.id })
      expect(row).toMatchObject({ status: "requires_action", attempts: 5 })
      const attention = await desk.listAuditEntries({ order_id, action: "refund_needs_attention" })
      expect(attention).toHaveLength(1)
      expect(await money(order_id, intent)).toMatchObject({ ledger_succeeded: 0, medusa_refunded: 0, stripe_refunded: 0 })
    })

    it("lets the validate hook veto a refund", async () => {
      const { order_id, intent } = cardOrder()
      const vetoed = await failure(refund(order_id, { amount: 10, note: "VETO" }))
      expect(vetoed).toEqual({
        status: 400,
        data: { type: "not_allowed", message: "Refunds above the daily limit need a manager" },
      })
      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      expect(await desk.listRefundRequests({ order_id })).toHaveLength(0)
      expect(await money(order_id, intent)).toMatchObject({ medusa_refunded: 0, stripe_refunded: 0 })
    })

    it("lists the ledger across orders with filters and refuses bad input", async () => {
      const { order_id } = cardOrder()
      stripe.refundMode = "decline"
      await refund(order_id, { amount: 5 })
      const failed = await http.get(`/admin/payment-desk/refunds?status=failed&order_id=${order_id}`, admin)
      expect(failed.data).toMatchObject({ count: 1, limit: 50, offset: 0 })
      expect(failed.data.refund_requests[0]).toMatchObject({ order_id, status: "failed", amount: 5 })

      const cases: [Record<string, unknown>, number, string][] = [
        [{ amount: 0 }, 400, "amount: must be a number above 0, got 0"],
        [{ amount: 1.001 }, 400, "amount: EUR allows at most 2 decimal places, got 1.001"],
        [{ amount: 1, payment_id: "pay_other" }, 400, `payment_id: pay_other is not a payment of order ${order_id}`],
        [{ amount: 1, extra: true }, 400, "Invalid request: Unrecognized fields: 'extra'"],
      ]
      for (const [body, status, message] of cases) {
        const answer = await failure(refund(order_id, body))
        expect({ body, status: answer.status, message: answer.data.message }).toEqual({ body, status, message })
      }
      expect((await failure(refund("order_missing", { amount: 1 }))).status).toBe(404)
      expect((await failure(http.post(`/admin/payment-desk/refunds/pdref_missing/retry`, {}, admin))).status).toBe(404)
      expect((await failure(http.post(`/admin/payment-desk/orders/${order_id}/refunds`, { amount: 1 }))).status).toBe(401)
      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      expect(await desk.listRefundRequests({ order_id })).toHaveLength(1)
    })
  },
})
