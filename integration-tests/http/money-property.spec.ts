// Property tests of the money core: fast-check draws random sequences of
// money actions on one fresh order per run (refunds, retries, payouts,
// webhooks, a close, reconciliation), each under a random provider fault,
// and checks after every action that no book ever shows more refunded than
// captured, and after the sequence (and a final reconciliation pass) that
// every book agrees: the ledger, Medusa's refund rows, the payment
// collection, the order summary, the plugin's summary and Stripe.
// PROPERTY_SEED and PROPERTY_RUNS override the fixed seed and the run count.
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import fc from "fast-check"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, checkout, customerHeaders } from "../helpers/http"
import { useFakeStripe } from "../helpers/stripe-env"
import type { RefundMode } from "../helpers/fake-stripe"
import { faultOnce, isRefundTransaction } from "../helpers/faults"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"
import reconcileRefundsJob from "../../src/jobs/reconcile-refunds"

jest.setTimeout(600_000)

const stripe = useFakeStripe({ replaySnapshots: true })

const SEED = Number(process.env.PROPERTY_SEED ?? 20261123)
const RUNS = process.env.PROPERTY_RUNS ? Number(process.env.PROPERTY_RUNS) : null

type Answer = { status: number; data: any }

const answer = (request: Promise<{ status: number; data: any }>): Promise<Answer> =>
  request.then(
    (r) => ({ status: r.status, data: r.data }),
    (e) => {
      if (!e?.response) throw e
      return { status: e.response.status, data: e.response.data }
    }
  )

const cents = (n: number) => Math.round(n * 100) / 100
const sumOf = (list: { amount?: unknown }[]) => cents(list.reduce((s, r) => s + Number(r.amount), 0))

/** The fake Stripe's behaviour for one action; mostly it works. */
const stripeMode: fc.Arbitrary<RefundMode> = fc.oneof(
  { arbitrary: fc.constant<RefundMode>("succeed"), weight: 4 },
  { arbitrary: fc.constantFrom<RefundMode>("decline", "timeout_after_taking", "error_500", "pending"), weight: 4 }
)
/** An amount between €0.01 and €150 in cents (the order is €210). */
const amount = fc.integer({ min: 1, max: 15_000 }).map((c) => c / 100)

type CardAction =
  | { kind: "refund"; amount: number; mode: RefundMode }
  | { kind: "retry"; mode: RefundMode }
  | { kind: "webhook"; pick: number; status: "succeeded" | "failed" }
  | { kind: "close"; mode: RefundMode }
  | { kind: "reconcile"; mode: RefundMode }

const cardAction: fc.Arbitrary<CardAction> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("refund" as const), amount, mode: stripeMode }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("retry" as const), mode: stripeMode }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant("webhook" as const),
      pick: fc.nat(20),
      status: fc.constantFrom("succeeded" as const, "failed" as const),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("close" as const), mode: stripeMode }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("reconcile" as const), mode: stripeMode }), weight: 2 }
)

/** Manual refunds: a one-shot failure of Medusa's booking, or the provider refusing. */
type ManualFault = "none" | "booking_fails_once" | "provider_refuses_once"
const manualFault: fc.Arbitrary<ManualFault> = fc.oneof(
  { arbitrary: fc.constant<ManualFault>("none"), weight: 3 },
  { arbitrary: fc.constantFrom<ManualFault>("booking_fails_once", "provider_refuses_once"), weight: 2 }
)
type BankAction =
  | { kind: "refund"; amount: number; fault: ManualFault }
  | { kind: "retry"; fault: ManualFault }
  | { kind: "payout" }
  | { kind: "close"; fault: ManualFault }
  | { kind: "reconcile" }

const bankAction: fc.Arbitrary<BankAction> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("refund" as const), amount, fault: manualFault }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("retry" as const), fault: manualFault }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("payout" as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("close" as const), fault: manualFault }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("reconcile" as const) }), weight: 2 }
)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }
    let cardCustomer: { headers: Record<string, string> } | null = null

    beforeAll(async () => {
      store = await seedStore(getContainer(), {
        name: "Money property spec",
        paymentProviders: ["pp_manual_bank-transfer", "pp_stripe_stripe"],
      })
    })

    beforeEach(async () => {
      stripe.refundMode = "succeed"
      // Each test starts from the database as seeded: customers made by an earlier test are gone.
      cardCustomer = null
      admin = await adminHeaders(getContainer(), http)
    })

    const desk = () => getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`

    async function paidStripeOrder() {
      cardCustomer ??= await customerHeaders(http, store, `card-${unique()}@example.com`)
      const order = await checkout(http, store, cardCustomer, "pp_stripe_stripe", [
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
      return { order_id: order.id as string, intent: payment.data.id as string }
    }

    async function paidBankOrder() {
      const { order_id } = await placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email: `bank-${unique()}@example.com`,
        items: [{ variant_id: store.variant_ids[0], quantity: 2 }],
      })
      await http.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: 210, method: "bank-transfer" }, admin)
      return { order_id }
    }

    const refund = (orderId: string, value: number) =>
      answer(http.post(`/admin/payment-desk/orders/${orderId}/refunds`, { amount: value }, admin))
    const retry = (id: string) => answer(http.post(`/admin/payment-desk/refunds/${id}/retry`, {}, admin))
    const payout = (id: string) =>
      answer(http.post(`/admin/payment-desk/refunds/${id}/payout`, { reference: `SEPA-${unique()}` }, admin))
    const close = (orderId: string) =>
      answer(http.post(`/admin/payment-desk/orders/${orderId}/close`, { reason: "other" }, admin))
    const postWebhook = (d: { payload: string; header: string }) =>
      answer(
        http.post("/hooks/payment-desk/stripe", d.payload, {
          headers: { "content-type": "application/json", "stripe-signature": d.header },
        })
      )

    async function reconcileNow(orderId: string) {
      for (let i = 0; i < 2; i++) {
        const rows = await desk().listRefundRequests({ order_id: orderId })
        for (const row of rows) {
          if (["pending", "requires_action", "failed"].includes(row.status)) {
            await desk().updateRefundRequests({ id: row.id, next_attempt_at: new Date(Date.now() - 1000) })
          }
        }
        await reconcileRefundsJob(getContainer())
      }
    }

    /** The newest ledger row of the order in one of `statuses`. */
    async function lastRow(orderId: string, statuses: string[]) {
      const rows = await desk().listRefundRequests({ order_id: orderId, status: statuses }, { order: { requested_at: "DESC" }, take: 1 })
      return rows[0] ?? null
    }

    async function books(orderId: string, intent?: string) {
      const rows = await desk().listRefundRequests({ order_id: orderId })
      const sum = (statuses: string[]) => sumOf(rows.filter((r: any) => statuses.includes(r.status)))
      const { data } = await http.get(
        `/admin/orders/${orderId}?fields=id,status,total,summary,*payment_collections,*payment_collections.payments,*payment_collections.payments.refunds,*payment_collections.payments.captures`,
        admin
      )
      const order = data.order
      const collections: any[] = order.payment_collections ?? []
      const payments: any[] = collections.flatMap((c) => c.payments ?? [])
      const medusaRefunds = payments.flatMap((p) => p.refunds ?? [])
      const summary = (await http.get(`/admin/payment-desk/orders/${orderId}`, admin)).data
      const atStripe = intent ? stripe.refundsFor(intent) : []
      return {
        captured: sumOf(payments.flatMap((p) => p.captures ?? [])),
        ledger_booked: sum(["succeeded", "awaiting_payout"]),
        ledger_succeeded: sum(["succeeded"]),
        ledger_open: sum(["pending", "requires_action"]),
        booked_rows: rows.filter((r: any) => ["succeeded", "awaiting_payout"].includes(r.status)).length,
        medusa_refunds: sumOf(medusaRefunds),
        medusa_refund_rows: medusaRefunds.length,
        collection_refunded: cents(collections.reduce((s, c) => s + Number(c.refunded_amount ?? 0), 0)),
        order_refunded: cents(Number(order.summary?.refunded_total ?? 0)),
        desk_refunded: cents(Number(summary.refunded_total)),
        outstanding: cents(Number(summary.outstanding_amount)),
        stripe_succeeded: cents(sumOf(atStripe.filter((r) => r.status === "succeeded")) / 100),
        stripe_pending: cents(sumOf(atStripe.filter((r) => r.status === "pending")) / 100),
        pending_difference: cents(Number(order.summary?.pending_difference ?? 0)),
        status: order.status as string,
        rows: rows.map((r: any) => `${r.status} ${Number(r.amount)}`),
      }
    }
    type Books = Awaited<ReturnType<typeof books>>

    /** What must hold after every action: nothing shows more refunded than captured; nothing negative outstanding. */
    function interim(state: Books) {
      const limit = state.captured
      return {
        stripe_at_most_captured: cents(state.stripe_succeeded + state.stripe_pending) <= limit,
        medusa_at_most_captured: state.medusa_refunds <= limit,
        collection_at_most_captured: state.collection_refunded <= limit,
        ledger_at_most_captured: cents(state.ledger_booked + state.ledger_open) <= limit,
        outstanding_not_negative: state.outstanding >= 0,
      }
    }
    const INTERIM_OK = {
      stripe_at_most_captured: true,
      medusa_at_most_captured: true,
      collection_at_most_captured: true,
      ledger_at_most_captured: true,
      outstanding_not_negative: true,
    }

    /** What must hold once the sequence and a final reconciliation pass are over: every book agrees. */
    function final(state: Books, withStripe: boolean) {
      return {
        ...interim(state),
        medusa_refunds: state.medusa_refunds,
        collection_refunded: state.collection_refunded,
        order_refunded: state.order_refunded,
        desk_refunded: state.desk_refunded,
        medusa_refund_rows: state.medusa_refund_rows,
        // An open order paid and refunded as core refunds owes nothing and is owed nothing.
        pending_difference: state.status === "canceled" ? "(canceled)" : state.pending_difference,
        ...(withStripe ? { stripe_succeeded: state.stripe_succeeded, stripe_pending: state.stripe_pending } : {}),
      }
    }
    const finalExpected = (state: Books, withStripe: boolean) => ({
      ...INTERIM_OK,
      medusa_refunds: state.ledger_booked,
      collection_refunded: state.ledger_booked,
      order_refunded: state.ledger_booked,
      desk_refunded: state.ledger_booked,
      medusa_refund_rows: state.booked_rows,
      pending_difference: state.status === "canceled" ? "(canceled)" : 0,
      ...(withStripe ? { stripe_succeeded: state.ledger_succeeded, stripe_pending: state.ledger_open } : {}),
    })

    /** Runs `fn` with the fake Stripe in `mode`, then puts it back. */
    async function inMode<T>(mode: RefundMode, fn: () => Promise<T>): Promise<T> {
      stripe.refundMode = mode
      try {
        return await fn()
      } finally {
        stripe.refundMode = "succeed"
      }
    }

    async function runCard(action: CardAction, s: { order_id: string; intent: string }): Promise<Answer | null> {
      switch (action.kind) {
        case "refund":
          return inMode(action.mode, () => refund(s.order_id, action.amount))
        case "retry": {
          const row = await lastRow(s.order_id, ["failed"])
          return row ? inMode(action.mode, () => retry(row.id)) : null
        }
        case "close":
          return inMode(action.mode, () => close(s.order_id))
        case "reconcile":
          await inMode(action.mode, () => reconcileNow(s.order_id))
          return null
        case "webhook": {
          // Stripe reports one of the payment's refunds (maybe an old attempt's), as Stripe may
          // move it: pending → succeeded | failed, succeeded → failed; otherwise it repeats itself.
          const all = stripe.refundsFor(s.intent)
          if (!all.length) return null
          const at = all[action.pick % all.length]
          if (at.status === "pending" || (at.status === "succeeded" && action.status === "failed")) {
            at.status = action.status
            at.failure_reason = action.status === "failed" ? "expired_or_canceled_card" : null
          }
          return postWebhook(stripe.signedEvent(at.status === "failed" ? "refund.failed" : "refund.updated", at))
        }
      }
    }

    /** Installs a manual fault for one action; returns its restore. */
    function manualFaultFor(fault: ManualFault): () => void {
      if (fault === "booking_fails_once") {
        const f = faultOnce(getContainer().resolve(Modules.ORDER), "addOrderTransactions", { when: isRefundTransaction })
        return () => f.restore()
      }
      if (fault === "provider_refuses_once") {
        const f = faultOnce(getContainer().resolve(Modules.PAYMENT), "refundPayment")
        return () => f.restore()
      }
      return () => {}
    }

    async function runBank(action: BankAction, s: { order_id: string }): Promise<Answer | null> {
      const restore = manualFaultFor("fault" in action ? action.fault : "none")
      try {
        switch (action.kind) {
          case "refund":
            return await refund(s.order_id, action.amount)
          case "retry": {
            const row = await lastRow(s.order_id, ["failed"])
            return row ? await retry(row.id) : null
          }
          case "payout": {
            const row = await lastRow(s.order_id, ["awaiting_payout"])
            return row ? await payout(row.id) : null
          }
          case "close":
            return await close(s.order_id)
          case "reconcile":
            await reconcileNow(s.order_id)
            return null
        }
      } finally {
        restore()
      }
    }

    const describeAnswer = (a: Answer | null) => (a ? `${a.status}${a.status >= 400 ? ` ${a.data?.message ?? ""}` : ""}` : "-")

    it("property: any sequence of card refund actions under Stripe faults keeps Stripe, the ledger and Medusa's books in step", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(cardAction, { minLength: 3, maxLength: 8 }), async (actions) => {
          const s = await paidStripeOrder()
          const log: string[] = []
          for (const [step, action] of actions.entries()) {
            const a = await runCard(action, s)
            log.push(`${step}: ${JSON.stringify(action)} → ${describeAnswer(a)}`)
            const state = await books(s.order_id, s.intent)
            // Stripe's faults are answers the plugin handles: never a 5xx.
            expect({ log, no_5xx: !a || a.status < 500, ...interim(state) }).toEqual({ log, no_5xx: true, ...INTERIM_OK })
          }
          stripe.refundMode = "succeed"
          await reconcileNow(s.order_id)
          const state = await books(s.order_id, s.intent)
          expect({ log, rows: state.rows, ...final(state, true) }).toEqual({ log, rows: state.rows, ...finalExpected(state, true) })
        }),
        { numRuns: RUNS ?? 15, seed: SEED, endOnFailure: true, verbose: 1 }
      )
    })

    it("property: any sequence of bank-transfer refund actions under booking and provider faults keeps the ledger and Medusa's books in step", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(bankAction, { minLength: 3, maxLength: 8 }), async (actions) => {
          const s = await paidBankOrder()
          const log: string[] = []
          for (const [step, action] of actions.entries()) {
            const a = await runBank(action, s)
            log.push(`${step}: ${JSON.stringify(action)} → ${describeAnswer(a)}`)
            const state = await books(s.order_id)
            const faulted = "fault" in action && action.fault !== "none"
            expect({ log, no_5xx: !a || a.status < 500 || faulted, ...interim(state) }).toEqual({ log, no_5xx: true, ...INTERIM_OK })
          }
          await reconcileNow(s.order_id)
          const state = await books(s.order_id)
          expect({ log, rows: state.rows, ...final(state, false) }).toEqual({ log, rows: state.rows, ...finalExpected(state, false) })
        }),
        { numRuns: RUNS ?? 15, seed: SEED, endOnFailure: true, verbose: 1 }
      )
    })
  },
})
