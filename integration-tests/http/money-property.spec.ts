// Property tests of the money core: fast-check draws random sequences of
// money actions on one fresh order per run (refunds, retries, payouts,
// webhooks, a close, reconciliation; for bank transfers also receipts
// recorded by hand and one-line bank statements imported and confirmed),
// each under a random provider fault, and checks after every action that no
// book ever shows more refunded than captured or more captured than the
// order's total, and after the sequence (and a final reconciliation pass)
// that every book agrees: the ledger, Medusa's refund rows and captures, the
// payment collection, the order summary, the plugin's summary and Stripe.
// PROPERTY_SEED and PROPERTY_RUNS override the fixed seed and the run count.
//
// "Fresh" without placing an order per run: beforeAll places one order per
// starting point (a captured card order; bank-transfer orders with nothing,
// €60 and €210 received) before the test runner snapshots the database, and
// every run restores that snapshot (as the runner does before each test) and
// puts the fake Stripe back to the same point, so each run starts from an
// exact copy of a freshly placed order at a fraction of the cost of placing it.
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import fc from "fast-check"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { buildCamt053, BuildCamtLine } from "../../scripts/lib/build-camt"
import { creditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { adminHeaders, Api, checkout, customerHeaders, answer, Answer } from "../helpers/http"
import { useFakeStripe } from "../helpers/stripe-env"
import type { RefundMode } from "../helpers/fake-stripe"
import { faultOnce, isRefundTransaction } from "../helpers/faults"
import { SubscriberTracker, trackSubscribers } from "../helpers/subscribers"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"
import reconcileRefundsJob from "../../src/jobs/reconcile-refunds"

jest.setTimeout(600_000)

const stripe = useFakeStripe({ replaySnapshots: true })

const SEED = Number(process.env.PROPERTY_SEED ?? 20261123)
const RUNS = process.env.PROPERTY_RUNS ? Number(process.env.PROPERTY_RUNS) : null
// Runs per property in CI (examples included): with the fixed seed they still draw every
// action kind under every Stripe mode, manual fault, core fault and statement line kind
// at least once (was 15, 15 and 8; PROPERTY_RUNS=15 goes as deep again).
const CI_RUNS = { card: 10, bank: 11, mixed: 6 }

const cents = (n: number) => Math.round(n * 100) / 100
/** What every order of these properties costs: two items at €100 plus €10 shipping. */
const ORDER_TOTAL = 210
/** The store's euro account for bank transfers (medusa-config's default bank-transfer method). */
const STORE_IBAN = "DE89370400440532013000"
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
/**
 * A one-line bank statement crediting the order: what the order still owes,
 * less, more (by `cents`), or an earlier line of this run again (a new file
 * with the same bank transaction); `confirm` has a person confirm the line
 * when it waits for review.
 */
type StatementLine = "exact" | "partial" | "over" | "duplicate"
type BankAction =
  | { kind: "record"; amount: number }
  | { kind: "statement"; line: StatementLine; cents: number; confirm: boolean }
  | { kind: "refund"; amount: number; fault: ManualFault }
  | { kind: "retry"; fault: ManualFault }
  | { kind: "payout" }
  | { kind: "close"; fault: ManualFault }
  | { kind: "reconcile" }

const bankAction: fc.Arbitrary<BankAction> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("record" as const), amount }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant("statement" as const),
      line: fc.constantFrom<StatementLine>("exact", "partial", "over", "duplicate"),
      cents: fc.integer({ min: 1, max: 15_000 }),
      confirm: fc.boolean(),
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant("refund" as const), amount, fault: manualFault }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("retry" as const), fault: manualFault }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("payout" as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("close" as const), fault: manualFault }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("reconcile" as const) }), weight: 2 }
)

/** A failure inside Medusa's own workflow (a module service method throws once), or none. */
type CoreFault = "none" | "fails_inside"
const coreFault: fc.Arbitrary<CoreFault> = fc.oneof(
  { arbitrary: fc.constant<CoreFault>("none"), weight: 3 },
  { arbitrary: fc.constant<CoreFault>("fails_inside"), weight: 1 }
)
/**
 * Medusa's own money routes (capture, in full or in part; refund; mark-as-paid
 * on an unpaid collection; cancel; an order edit adding or removing an item,
 * requested and confirmed) interleaved with the plugin's record payment,
 * refund, close and payout.
 */
type MixedAction =
  | { kind: "record"; amount: number }
  | { kind: "refund"; amount: number; fault: ManualFault }
  | { kind: "close"; fault: ManualFault }
  | { kind: "payout" }
  | { kind: "core_capture"; amount: number | null; fault: CoreFault }
  | { kind: "core_refund"; amount: number; fault: CoreFault }
  | { kind: "mark_as_paid"; fault: CoreFault }
  | { kind: "core_cancel"; fault: CoreFault }
  | { kind: "edit"; change: "add" | "remove" }
  | { kind: "return" }

const mixedAction: fc.Arbitrary<MixedAction> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("record" as const), amount }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("refund" as const), amount, fault: manualFault }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("close" as const), fault: manualFault }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("payout" as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("core_capture" as const), amount: fc.option(amount, { nil: null }), fault: coreFault }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("core_refund" as const), amount, fault: coreFault }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("mark_as_paid" as const), fault: coreFault }), weight: 2 },
  // Without a fault inside: Medusa's cancel failing after its refunds leaves them out of the order's
  // summary until the plugin's close books them (core-routes-lock.spec.ts); nothing books them on an
  // order nobody closes, so the figures checked after every action would differ meanwhile.
  { arbitrary: fc.record({ kind: fc.constant("core_cancel" as const), fault: fc.constant<CoreFault>("none") }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("edit" as const), change: fc.constantFrom("add" as const, "remove" as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("return" as const) }), weight: 1 }
)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbUtils }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }
    let cardCustomer: { headers: Record<string, string> } | null = null
    let subscribers: SubscriberTracker
    let restoreStripe: () => void
    /** The order each run starts from (see the top of the file). */
    let cardStart: { order_id: string; intent: string }
    const bankStart = new Map<number, { order_id: string; reference: string }>()

    beforeAll(async () => {
      store = await seedStore(getContainer(), {
        name: "Money property spec",
        paymentProviders: ["pp_manual_bank-transfer", "pp_stripe_stripe"],
      })
      admin = await adminHeaders(getContainer(), http)
      subscribers = trackSubscribers(getContainer())
      const [card, ...bank] = await Promise.all([paidStripeOrder(), ...[0, 60, ORDER_TOTAL].map((paid) => bankOrder(paid))])
      cardStart = card
      for (const [i, paid] of [0, 60, ORDER_TOTAL].entries()) bankStart.set(paid, bank[i])
      // What placing them set off (emails, audit entries) lands before the snapshot.
      await subscribers.idle()
      restoreStripe = stripe.snapshot()
    })

    /** Whether the database is the snapshot as it stands (the test runner restores it before each test). */
    let pristine = false
    beforeEach(() => {
      // Stripe goes back with the database.
      restoreStripe()
      pristine = true
    })
    afterAll(() => subscribers?.stop())

    /** Starts a run from the snapshot: the database (once nothing of the last run is still running) and Stripe. */
    async function fresh() {
      if (!pristine) {
        await subscribers.idle()
        await dbUtils.restore()
        restoreStripe()
      }
      pristine = false
    }
    /** A fresh copy of the captured card order. */
    async function freshCardOrder() {
      await fresh()
      // The copy has no refund yet: the restore worked.
      expect(await desk().listRefundRequests({ order_id: cardStart.order_id })).toEqual([])
      return { ...cardStart }
    }
    /** A fresh copy of the bank-transfer order with `paid` received. */
    async function freshBankOrder(paid: number): Promise<BankRun> {
      await fresh()
      return { ...bankStart.get(paid)!, lines: [] }
    }

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

    /** A bank-transfer order (€210) with `paid` of it recorded; its RF reference is what a statement line quotes. */
    async function bankOrder(paid: number): Promise<{ order_id: string; reference: string }> {
      const { order_id } = await placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email: `bank-${unique()}@example.com`,
        items: [{ variant_id: store.variant_ids[0], quantity: 2 }],
      })
      if (paid > 0) {
        await http.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: paid, method: "bank-transfer" }, admin)
      }
      const { data } = await http.get(`/admin/payment-desk/orders/${order_id}`, admin)
      return { order_id, reference: creditorReference(data.display_id) }
    }
    type BankRun = { order_id: string; reference: string; lines: BuildCamtLine[] }

    const refund = (orderId: string, value: number) =>
      answer(http.post(`/admin/payment-desk/orders/${orderId}/refunds`, { amount: value }, admin))
    const retry = (id: string) => answer(http.post(`/admin/payment-desk/refunds/${id}/retry`, {}, admin))
    const payout = (id: string) =>
      answer(http.post(`/admin/payment-desk/refunds/${id}/payout`, { reference: `SEPA-${unique()}` }, admin))
    const close = (orderId: string) =>
      answer(http.post(`/admin/payment-desk/orders/${orderId}/close`, { reason: "other" }, admin))
    const record = (orderId: string, value: number) =>
      answer(http.post(`/admin/payment-desk/orders/${orderId}/payments`, { amount: value, method: "bank-transfer" }, admin))
    const confirmLine = (id: string) => answer(http.post(`/admin/payment-desk/bank-transactions/${id}/confirm`, {}, admin))
    /** Uploads a CAMT.053 file with one statement holding `line` (multipart, as the admin does). */
    function importLine(line: BuildCamtLine) {
      const xml = buildCamt053({ account_iban: STORE_IBAN, currency: "EUR", statements: [{ id: `STMT-${unique()}`, lines: [line] }] })
      const form = new FormData()
      form.append("file", new Blob([xml]), "statement.xml")
      return answer(http.post("/admin/payment-desk/bank-statements", form, admin))
    }
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
      // Read side by side: the same moment's books (the sequence waits for them).
      const [rows, { data }, { data: summary }, receipts] = await Promise.all([
        desk().listRefundRequests({ order_id: orderId }),
        http.get(
          `/admin/orders/${orderId}?fields=id,status,total,summary,*payment_collections,*payment_collections.payments,*payment_collections.payments.refunds,*payment_collections.payments.captures`,
          admin
        ),
        http.get(`/admin/payment-desk/orders/${orderId}`, admin),
        desk().listAuditEntries({ order_id: orderId, action: "payment_recorded" }),
      ])
      const sum = (statuses: string[]) => sumOf(rows.filter((r: any) => statuses.includes(r.status)))
      const order = data.order
      const collections: any[] = order.payment_collections ?? []
      const payments: any[] = collections.flatMap((c) => c.payments ?? [])
      const medusaRefunds = payments.flatMap((p) => p.refunds ?? [])
      const atStripe = intent ? stripe.refundsFor(intent) : []
      return {
        captured: sumOf(payments.flatMap((p) => p.captures ?? [])),
        recorded: sumOf(receipts),
        paid_total: cents(Number(summary.paid_total)),
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
        total: cents(Number(order.total)),
        // Medusa's refund rows the plugin did not write (Medusa's refund route, its cancel).
        outside_refunds: sumOf(medusaRefunds.filter((r: any) => r.metadata?.recorded_by !== "medusa-payment-desk")),
        ledger_links: {
          booked_rows_in_medusa: rows
            .filter((r: any) => ["succeeded", "awaiting_payout"].includes(r.status))
            .every((row: any) => medusaRefunds.some((r: any) => r.id === row.medusa_refund_id && Number(r.amount) === Number(row.amount))),
          plugin_refunds_in_ledger: medusaRefunds
            .filter((r: any) => r.metadata?.recorded_by === "medusa-payment-desk")
            .every((r: any) => rows.some((row: any) => row.id === r.metadata?.refund_request_id && row.medusa_refund_id === r.id && ["succeeded", "awaiting_payout"].includes(row.status))),
        },
      }
    }
    type Books = Awaited<ReturnType<typeof books>>

    /** What must hold after every action: nothing shows more refunded than captured, or more captured than the order's total; nothing negative outstanding. */
    function interim(state: Books) {
      const limit = state.captured
      return {
        captured_at_most_total: state.captured <= ORDER_TOTAL,
        stripe_at_most_captured: cents(state.stripe_succeeded + state.stripe_pending) <= limit,
        medusa_at_most_captured: state.medusa_refunds <= limit,
        collection_at_most_captured: state.collection_refunded <= limit,
        ledger_at_most_captured: cents(state.ledger_booked + state.ledger_open) <= limit,
        outstanding_not_negative: state.outstanding >= 0,
      }
    }
    const INTERIM_OK = {
      captured_at_most_total: true,
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
        // An open order refunded as core refunds owes what was never captured (nothing once paid in full), and is owed nothing.
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
      pending_difference: state.status === "canceled" ? "(canceled)" : cents(ORDER_TOTAL - state.captured),
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

    /**
     * Imports one statement line for the order, confirms it when asked and it
     * waits for review; returns the last answer and what the order's captures
     * must be afterwards: a line books at most what the order owes (the rest
     * is excess, never captured), an exact one by itself, and a line seen
     * before nothing at all on import.
     */
    async function runStatement(
      action: Extract<BankAction, { kind: "statement" }>,
      s: BankRun,
      before: Books
    ): Promise<{ answer: Answer | null; captured: number; counts?: Record<string, number> }> {
      const owes = Math.round(before.outstanding * 100)
      let line: BuildCamtLine
      if (action.line === "duplicate") {
        if (!s.lines.length) return { answer: null, captured: before.captured }
        line = s.lines[action.cents % s.lines.length]
      } else {
        const value =
          action.line === "exact" && owes > 0 ? owes
          : action.line === "partial" && owes > 1 ? Math.min(action.cents, owes - 1)
          : action.line === "over" ? owes + action.cents
          : action.cents
        line = { amount: (value / 100).toFixed(2), direction: "credit", booking_date: new Date().toISOString().slice(0, 10), reference: s.reference, bank_id: `PROP-${unique()}` }
        s.lines.push(line)
      }
      const received = Math.round(Number(line.amount) * 100)
      const imported = await importLine(line)
      if (imported.status >= 400) return { answer: imported, captured: before.captured }
      const summary = imported.data.bank_statement
      const counts = { recorded: summary.recorded, review: summary.review, duplicates: summary.duplicates }
      // A fresh line quoting the order's reference with exactly what it owes is recorded by itself; anything else waits.
      const autoRecorded = action.line !== "duplicate" && received === owes && owes > 0
      let captured = cents(before.captured + (autoRecorded ? received / 100 : 0))
      let answer: Answer = imported
      if (action.confirm) {
        const [stored] = await desk().listBankTransactions({ bank_transaction_id: line.bank_id })
        if (stored?.status === "review") {
          const owesNow = Math.round((await books(s.order_id)).outstanding * 100)
          answer = await confirmLine(stored.id)
          if (owesNow > 0) captured = cents(captured + Math.min(received, owesNow) / 100)
        }
      }
      return { answer, captured, counts }
    }

    async function runBank(action: BankAction, s: BankRun, before: Books): Promise<{ answer: Answer | null; captured?: number; counts?: Record<string, number> }> {
      if (action.kind === "statement") return runStatement(action, s, before)
      if (action.kind === "record") return { answer: await record(s.order_id, action.amount) }
      return { answer: await runBankRefundAction(action, s) }
    }

    async function runBankRefundAction(action: Exclude<BankAction, { kind: "statement" | "record" }>, s: BankRun): Promise<Answer | null> {
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

    /** The order's payments (every collection) with their captures and refunds, and its collections. */
    async function paymentsOf(orderId: string) {
      const { data } = await http.get(
        `/admin/orders/${orderId}?fields=id,*payment_collections,*payment_collections.payments,*payment_collections.payments.captures,*payment_collections.payments.refunds,*items`,
        admin
      )
      const collections: any[] = data.order.payment_collections ?? []
      const payments = collections.flatMap((c) =>
        (c.payments ?? []).map((p: any) => ({
          id: p.id as string,
          canceled: !!p.canceled_at,
          open: cents(Number(p.amount) - sumOf(p.captures ?? [])),
          refundable: cents(sumOf(p.captures ?? []) - sumOf(p.refunds ?? [])),
        }))
      )
      return { collections, payments, items: (data.order.items ?? []) as { id: string; quantity: number }[] }
    }

    /** Where a fault inside each of Medusa's own routes is injected: the module service method its workflow calls. */
    const CORE_FAULT_AT: Record<"core_capture" | "core_refund" | "mark_as_paid" | "core_cancel", [string, string]> = {
      core_capture: [Modules.PAYMENT, "capturePayment"],
      core_refund: [Modules.PAYMENT, "refundPayment"],
      mark_as_paid: [Modules.PAYMENT, "capturePayment"],
      // The last step of Medusa's cancel, after its refunds (which core does not take back).
      core_cancel: [Modules.ORDER, "cancel"],
    }

    /** Medusa's order edit through its routes: begin, add one item or take one of two away, request, confirm; canceled when a step is refused. */
    async function editThroughMedusa(orderId: string, change: "add" | "remove"): Promise<Answer | null> {
      const begun = await answer(http.post("/admin/order-edits", { order_id: orderId }, admin))
      if (begun.status !== 200) return begun
      const { items } = await paymentsOf(orderId)
      const twice = items.find((i) => Number(i.quantity) > 1)
      const steps: (() => Promise<{ status: number; data: any }>)[] = [
        change === "add" || !twice
          ? () => http.post(`/admin/order-edits/${orderId}/items`, { items: [{ variant_id: store.variant_ids[0], quantity: 1 }] }, admin)
          : () => http.post(`/admin/order-edits/${orderId}/items/item/${twice.id}`, { quantity: Number(twice.quantity) - 1 }, admin),
        () => http.post(`/admin/order-edits/${orderId}/request`, {}, admin),
        () => http.post(`/admin/order-edits/${orderId}/confirm`, {}, admin),
      ]
      let last: Answer = begun
      for (const step of steps) {
        last = await answer(step())
        if (last.status !== 200) {
          await answer(http.delete(`/admin/order-edits/${orderId}`, admin))
          return last
        }
      }
      return last
    }

    /**
     * A return with its refund through Medusa's routes: the order fulfilled (once), one item
     * returned (begin, request, receive, confirm), then what the order now owes back refunded
     * with Medusa's refund route on a payment that has it. The return is canceled when a
     * step is refused; the answer is the last step's.
     */
    async function returnThroughMedusa(orderId: string): Promise<Answer | null> {
      const { data: fulfilled } = await http.get(`/admin/orders/${orderId}?fields=*items,fulfillments.id`, admin)
      const items = (fulfilled.order.items ?? []) as { id: string; quantity: number }[]
      if (!(fulfilled.order.fulfillments ?? []).length) {
        const shipped = await answer(
          http.post(`/admin/orders/${orderId}/fulfillments`, { items: items.map((i) => ({ id: i.id, quantity: Number(i.quantity) })) }, admin)
        )
        if (shipped.status !== 200) return shipped
      }
      const begun = await answer(http.post("/admin/returns", { order_id: orderId }, admin))
      if (begun.status !== 200) return begun
      const returnId = begun.data.return.id as string
      const item = items[0]
      const steps: (() => Promise<{ status: number; data: any }>)[] = [
        () => http.post(`/admin/returns/${returnId}/request-items`, { items: [{ id: item.id, quantity: 1 }] }, admin),
        () => http.post(`/admin/returns/${returnId}/request`, {}, admin),
        () => http.post(`/admin/returns/${returnId}/receive`, {}, admin),
        () => http.post(`/admin/returns/${returnId}/receive-items`, { items: [{ id: item.id, quantity: 1 }] }, admin),
        () => http.post(`/admin/returns/${returnId}/receive/confirm`, {}, admin),
      ]
      let last: Answer = begun
      for (const step of steps) {
        last = await answer(step())
        if (last.status !== 200) {
          await answer(http.post(`/admin/returns/${returnId}/cancel`, {}, admin))
          return last
        }
      }
      // What the order owes back now, refunded as a merchant would with Medusa's refund button.
      const { data } = await http.get(`/admin/orders/${orderId}?fields=summary`, admin)
      const owed = cents(-Number(data.order.summary.pending_difference))
      const payment = (await paymentsOf(orderId)).payments.find((p) => p.refundable >= owed)
      if (owed > 0 && payment) {
        last = await answer(http.post(`/admin/payments/${payment.id}/refund`, { amount: owed }, admin))
      }
      return last
    }

    /** Runs one mixed action; `core` when it was one of Medusa's own routes, `faulted` when a fault was installed. */
    async function runMixed(action: MixedAction, s: BankRun, before: Books): Promise<{ answer: Answer | null; core: boolean; faulted: boolean }> {
      switch (action.kind) {
        case "record":
          return { answer: await record(s.order_id, action.amount), core: false, faulted: false }
        case "refund":
        case "close":
        case "payout":
          return { answer: await runBankRefundAction(action, s), core: false, faulted: "fault" in action && action.fault !== "none" }
        case "edit":
          return { answer: await editThroughMedusa(s.order_id, action.change), core: true, faulted: false }
        case "return":
          return { answer: await returnThroughMedusa(s.order_id), core: true, faulted: false }
      }
      const { collections, payments } = await paymentsOf(s.order_id)
      let call: (() => Promise<{ status: number; data: any }>) | null = null
      if (action.kind === "core_capture") {
        const payment = payments.find((p) => !p.canceled && p.open > 0)
        if (payment) call = () => http.post(`/admin/payments/${payment.id}/capture`, action.amount === null ? {} : { amount: action.amount }, admin)
      } else if (action.kind === "core_refund") {
        const payment = payments.find((p) => p.refundable > 0)
        if (payment) call = () => http.post(`/admin/payments/${payment.id}/refund`, { amount: action.amount }, admin)
      } else if (action.kind === "mark_as_paid") {
        // An unpaid collection: one an order edit opened, else one for what is outstanding, opened with Medusa's route.
        let unpaid = collections.find((c) => c.status === "not_paid")
        if (!unpaid && before.outstanding > 0 && before.status !== "canceled") {
          const opened = await answer(http.post("/admin/payment-collections", { order_id: s.order_id, amount: before.outstanding }, admin))
          unpaid = opened.data?.payment_collection
        }
        if (unpaid) call = () => http.post(`/admin/payment-collections/${unpaid.id}/mark-as-paid`, { order_id: s.order_id }, admin)
      } else {
        call = () => http.post(`/admin/orders/${s.order_id}/cancel`, {}, admin)
      }
      if (!call) return { answer: null, core: true, faulted: false }
      if (action.fault === "none") return { answer: await answer(call()), core: true, faulted: false }
      const [service, method] = CORE_FAULT_AT[action.kind]
      const fault = faultOnce(getContainer().resolve(service), method)
      try {
        return { answer: await answer(call()), core: true, faulted: true }
      } finally {
        fault.restore()
      }
    }

    /** What must hold after every mixed action: nothing captured beyond what the order owed plus what went back, nothing refunded beyond what was captured. */
    function mixedInterim(state: Books, maxTotal: number) {
      return {
        captured_within_owed_and_refunded: state.captured <= cents(maxTotal + state.medusa_refunds),
        medusa_refunded_within_captured: state.medusa_refunds <= state.captured,
        collection_refunded_within_captured: state.collection_refunded <= state.captured,
        ledger_and_outside_within_captured: cents(state.ledger_booked + state.ledger_open + state.outside_refunds) <= state.captured,
        outstanding_not_negative: state.outstanding >= 0,
      }
    }
    const MIXED_OK = {
      captured_within_owed_and_refunded: true,
      medusa_refunded_within_captured: true,
      collection_refunded_within_captured: true,
      ledger_and_outside_within_captured: true,
      outstanding_not_negative: true,
    }

    const describeAnswer = (a: Answer | null) => (a ? `${a.status}${a.status >= 400 ? ` ${a.data?.message ?? ""}` : ""}` : "-")

    it("property: any sequence of card refund actions under Stripe faults keeps Stripe, the ledger and Medusa's books in step", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(cardAction, { minLength: 3, maxLength: 8 }), async (actions) => {
          const s = await freshCardOrder()
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
        { numRuns: RUNS ?? CI_RUNS.card, seed: SEED, endOnFailure: true, verbose: 1 }
      )
    })

    it("property: any sequence of bank-transfer receipts, statement lines and refund actions under booking and provider faults keeps the ledger and Medusa's books in step", async () => {
      // Unpaid, partly paid or paid in full before the sequence starts.
      const paidFirst = fc.constantFrom(0, 60, ORDER_TOTAL)
      await fc.assert(
        fc.asyncProperty(paidFirst, fc.array(bankAction, { minLength: 3, maxLength: 8 }), async (paid, actions) => {
          const s = await freshBankOrder(paid)
          const log: string[] = [`paid first: ${paid}`]
          let before = await books(s.order_id)
          // The copy is as placed: the restore worked.
          expect({ captured: before.captured, rows: before.rows }).toEqual({ captured: paid, rows: [] })
          for (const [step, action] of actions.entries()) {
            const { answer: a, captured, counts } = await runBank(action, s, before)
            log.push(`${step}: ${JSON.stringify(action)} → ${describeAnswer(a)}${counts ? ` ${JSON.stringify(counts)}` : ""}`)
            const state = await books(s.order_id)
            const faulted = "fault" in action && action.fault !== "none"
            expect({
              log,
              no_5xx: !a || a.status < 500 || faulted,
              ...interim(state),
              // Every capture is a receipt the plugin recorded, and the plugin's paid total is Medusa's.
              receipts: { recorded: state.recorded, paid_total: state.paid_total },
              captured: captured ?? state.captured,
              // A line seen before stores and records nothing.
              duplicate_import: action.kind === "statement" && action.line === "duplicate" && counts ? counts : null,
            }).toEqual({
              log,
              no_5xx: true,
              ...INTERIM_OK,
              receipts: { recorded: state.captured, paid_total: state.captured },
              captured: state.captured,
              duplicate_import: action.kind === "statement" && action.line === "duplicate" && counts ? { recorded: 0, review: 0, duplicates: 1 } : null,
            })
            before = state
          }
          await reconcileNow(s.order_id)
          const state = await books(s.order_id)
          expect({ log, rows: state.rows, ...final(state, false) }).toEqual({ log, rows: state.rows, ...finalExpected(state, false) })
        }),
        {
          numRuns: RUNS ?? CI_RUNS.bank,
          seed: SEED,
          endOnFailure: true,
          verbose: 1,
          // Always among the runs: a partial line and an over-payment confirmed on an unpaid order, each line
          // imported again, then money out and a line on an order that owes nothing.
          examples: [
            [
              0,
              [
                { kind: "statement", line: "partial", cents: 5_000, confirm: true },
                { kind: "statement", line: "over", cents: 4_000, confirm: true },
                { kind: "statement", line: "duplicate", cents: 0, confirm: true },
                { kind: "statement", line: "duplicate", cents: 1, confirm: true },
                { kind: "refund", amount: 30, fault: "none" },
                { kind: "statement", line: "exact", cents: 2_500, confirm: true },
              ],
            ],
            [
              60,
              [
                { kind: "statement", line: "exact", cents: 1, confirm: false },
                { kind: "statement", line: "duplicate", cents: 0, confirm: true },
                { kind: "record", amount: 10 },
                { kind: "close", fault: "none" },
                { kind: "statement", line: "over", cents: 1_000, confirm: true },
              ],
            ],
          ],
        }
      )
    })

    it("property: Medusa's own money routes (capture, partial capture, refund, mark-as-paid, cancel, order edits, a return with its refund) interleaved with the plugin's record payment, refund, close and payout, under faults, keep the ledger and Medusa's books in step", async () => {
      const paidFirst = fc.constantFrom(0, 60, ORDER_TOTAL)
      await fc.assert(
        fc.asyncProperty(paidFirst, fc.array(mixedAction, { minLength: 3, maxLength: 7 }), async (paid, actions) => {
          const s = await freshBankOrder(paid)
          const log: string[] = [`paid first: ${paid}`]
          let before = await books(s.order_id)
          // The copy is as placed: the restore worked.
          expect({ captured: before.captured, rows: before.rows, total: before.total }).toEqual({ captured: paid, rows: [], total: ORDER_TOTAL })
          let maxTotal = before.total
          // What Medusa's own routes captured (measured after each): the rest of the captures are receipts.
          let capturedByMedusa = 0
          for (const [step, action] of actions.entries()) {
            const { answer: a, core, faulted } = await runMixed(action, s, before)
            log.push(`${step}: ${JSON.stringify(action)} → ${describeAnswer(a)}`)
            const state = await books(s.order_id)
            maxTotal = Math.max(maxTotal, state.total)
            if (core) capturedByMedusa = cents(capturedByMedusa + state.captured - before.captured)
            expect({
              log,
              no_5xx: !a || a.status < 500 || faulted,
              ...mixedInterim(state, maxTotal),
              // The plugin captures only with a receipt, and refunds (a close's too) only through its ledger.
              plugin_captures_are_receipts: cents(state.captured - capturedByMedusa) === state.recorded,
              plugin_refunded_outside_ledger: core ? 0 : cents(state.outside_refunds - before.outside_refunds),
            }).toEqual({ log, no_5xx: true, ...MIXED_OK, plugin_captures_are_receipts: true, plugin_refunded_outside_ledger: 0 })
            before = state
          }
          await reconcileNow(s.order_id)
          const state = await books(s.order_id)
          if (process.env.PROPERTY_LOG) process.stdout.write(`[mixed run] ${log.join(" | ")} ⇒ ${state.status}, rows ${state.rows.join(", ")}\n`)
          expect({
            log,
            rows: state.rows,
            ...mixedInterim(state, maxTotal),
            ...state.ledger_links,
            medusa_refunds: state.medusa_refunds,
            collection_refunded: state.collection_refunded,
            order_refunded: state.order_refunded,
            desk_refunded: state.desk_refunded,
            ledger_open: state.ledger_open,
            kept_by_canceled_order: state.status === "canceled" ? cents(state.captured - state.medusa_refunds) : "(open)",
          }).toEqual({
            log,
            rows: state.rows,
            ...MIXED_OK,
            booked_rows_in_medusa: true,
            plugin_refunds_in_ledger: true,
            medusa_refunds: cents(state.ledger_booked + state.outside_refunds),
            collection_refunded: state.medusa_refunds,
            order_refunded: state.medusa_refunds,
            desk_refunded: state.medusa_refunds,
            ledger_open: 0,
            kept_by_canceled_order: state.status === "canceled" ? 0 : "(open)",
          })
        }),
        {
          numRuns: RUNS ?? CI_RUNS.mixed,
          seed: SEED,
          endOnFailure: true,
          verbose: 1,
          // Always among the runs: each of Medusa's actions once, with and without a fault inside it.
          examples: [
            [
              0,
              [
                { kind: "core_capture", amount: 50, fault: "none" },
                { kind: "edit", change: "add" },
                { kind: "mark_as_paid", fault: "fails_inside" },
                { kind: "mark_as_paid", fault: "none" },
                { kind: "record", amount: 160 },
                { kind: "core_refund", amount: 20, fault: "none" },
                { kind: "refund", amount: 30, fault: "none" },
                { kind: "close", fault: "none" },
              ],
            ],
            [
              ORDER_TOTAL,
              [
                { kind: "edit", change: "remove" },
                { kind: "refund", amount: 100, fault: "none" },
                { kind: "core_refund", amount: 10, fault: "fails_inside" },
                { kind: "core_capture", amount: null, fault: "fails_inside" },
                { kind: "payout" },
                { kind: "core_cancel", fault: "none" },
                { kind: "close", fault: "none" },
              ],
            ],
          ],
        }
      )
    })
  },
})
