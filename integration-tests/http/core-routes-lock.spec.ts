// Medusa's own money routes under the plugin's order lock (issue 19, defect 3).
// Each race fires a Medusa admin route and a plugin route at the same order
// at once; exactly one may win, the loser gets a 4xx with a message, and the
// books stay consistent: Medusa's captures never exceed what the order owes,
// nothing is refunded twice, and the plugin's ledger holds exactly the
// refunds the plugin made. The lock is also shown to time out with 409, to
// be given back after a core error and after the client went away, and to
// leave the audit of core's actions (subscribers that take the same lock
// after the core event) working.
//
// The orders are placed once, in beforeAll, before the test runner snapshots
// the database (it does so after the suite's beforeAll hooks and restores the
// snapshot before every test): each test takes fresh copies of the ones it
// needs (authorized, part-paid, paid, or with only Medusa's unpaid collection)
// instead of placing its own.
import http from "node:http"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules, PaymentEvents } from "@medusajs/framework/utils"
import { createOrderWorkflow } from "@medusajs/medusa/core-flows"
import { DEMO_ADDRESS, placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, answer, Answer, Api, eventually } from "../helpers/http"
import { usePaymentDeskOptions } from "../helpers/options"
import { argHas, faultOnce, lockKeysMention } from "../helpers/faults"
import { SubscriberTracker, trackSubscribers } from "../helpers/subscribers"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"
import { acquireOrderLock, releaseOrderLock } from "../../src/utils/orders/order-lock"

jest.setTimeout(300_000)

// A short wait for the order lock, so that a request that cannot get it is told 409 quickly.
const WAIT_SECONDS = 3
usePaymentDeskOptions({ order_lock: { wait_seconds: WAIT_SECONDS } })

/** How a request answered: "ok", "refused" (a 4xx with a message) or the status it had instead. */
const verdict = (a: Answer) =>
  a.status === 200
    ? "ok"
    : a.status >= 400 && a.status < 500 && typeof a.data?.message === "string" && a.data.message.length > 0
      ? "refused"
      : `HTTP ${a.status}: ${JSON.stringify(a.data)}`

/** The verdicts of a race, in a fixed order, so that either winner reads the same. */
const outcome = (answers: Answer[]) => answers.map(verdict).sort()
const ONE_WINS = ["ok", "refused"]

const cents = (n: number) => Math.round(n * 100) / 100
const sumOf = (rows: { amount: unknown }[]) => cents(rows.reduce((s, r) => s + Number(r.amount), 0))

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    // The runner's client fails with plain errors (integration-tests/helpers/test-runner.ts).
    const client = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }
    let subscribers: SubscriberTracker
    /** The orders every test starts from (see the top of the file), as many of each as one test takes at most. */
    const pool: Record<Start, Ctx[]> = { authorized: [], "part-paid": [], paid: [], "unpaid-collection": [] }
    const POOL_SIZES: Record<Start, number> = { authorized: 3, "part-paid": 3, paid: 4, "unpaid-collection": 4 }

    beforeAll(async () => {
      store = await seedStore(getContainer(), {
        name: "Core routes lock spec",
        paymentProviders: ["pp_manual_bank-transfer", "pp_manual_cash-on-delivery"],
      })
      admin = await adminHeaders(getContainer(), client)
      subscribers = trackSubscribers(getContainer())
      await Promise.all(
        (Object.keys(POOL_SIZES) as Start[]).flatMap((start) =>
          Array.from({ length: POOL_SIZES[start] }, async () => pool[start].push(await placeFor(start)))
        )
      )
      // What placing and paying them set off (emails, audit entries) lands before the snapshot.
      await subscribers.idle()
    })
    // Nothing a test set off (a closure or audit written by a subscriber) may land in the next test's copy of the same orders.
    afterEach(() => subscribers.idle())
    afterAll(() => subscribers?.stop())

    /** Fresh copies of `n` orders as `start` says: taken from the pool, each test its own copy (the runner's restore). */
    function take(start: Start, n: number): Ctx[] {
      if (n > pool[start].length) throw new Error(`The pool holds ${pool[start].length} "${start}" orders; ${n} asked`)
      return pool[start].slice(0, n).map((ctx) => ({ ...ctx }))
    }
    /** One fresh order for each of `starts`, no two the same. */
    function takeEach(starts: Start[]): Ctx[] {
      const taken = Object.fromEntries((Object.keys(pool) as Start[]).map((start) => [start, take(start, starts.filter((s) => s === start).length)]))
      return starts.map((start) => taken[start].shift()!)
    }

    const desk = () => getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`

    /** A bank-transfer order of €210 (2 × €100 + €10 shipping), its manual payment authorized, nothing received. */
    const bankOrder = () =>
      placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email: `bank-${unique()}@example.com`,
        items: [{ variant_id: store.variant_ids[0], quantity: 2 }],
      })

    /**
     * An order of €100 with no payment (as an admin-created or converted draft
     * order has), and an unpaid payment collection for its total created with
     * Medusa's own route: what both Record payment and Mark as paid act on.
     */
    async function unpaidCollectionOrder() {
      const { result: order } = await createOrderWorkflow(getContainer()).run({
        input: {
          region_id: store.region_id,
          sales_channel_id: store.sales_channel_id,
          email: `unpaid-${unique()}@example.com`,
          currency_code: "eur",
          shipping_address: DEMO_ADDRESS,
          billing_address: DEMO_ADDRESS,
          items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
        },
      })
      const { data } = await client.post("/admin/payment-collections", { order_id: order.id, amount: 100 }, admin)
      return { order_id: order.id as string, collection_id: data.payment_collection.id as string }
    }

    // The plugin's routes.
    const pay = (orderId: string, amount: number) =>
      client.post(`/admin/payment-desk/orders/${orderId}/payments`, { amount, method: "bank-transfer" }, admin)
    const deskRefund = (orderId: string, amount: number) =>
      client.post(`/admin/payment-desk/orders/${orderId}/refunds`, { amount }, admin)
    const deskClose = (orderId: string) => client.post(`/admin/payment-desk/orders/${orderId}/close`, { reason: "other" }, admin)

    // Medusa's own routes.
    const markAsPaid = (collectionId: string, orderId: string) =>
      client.post(`/admin/payment-collections/${collectionId}/mark-as-paid`, { order_id: orderId }, admin)
    const coreCapture = (paymentId: string, amount?: number) =>
      client.post(`/admin/payments/${paymentId}/capture`, amount === undefined ? {} : { amount }, admin)
    const coreRefund = (paymentId: string, amount: number) =>
      client.post(`/admin/payments/${paymentId}/refund`, { amount }, admin)
    const coreCancel = (orderId: string) => client.post(`/admin/orders/${orderId}/cancel`, {}, admin)

    /**
     * The order's money as Medusa and the plugin keep it: Medusa's captures and
     * refund rows over every payment of every collection, the order's total,
     * status and summary, and the plugin's refund ledger.
     */
    async function books(orderId: string) {
      const { data } = await client.get(
        `/admin/orders/${orderId}?fields=id,status,total,summary,*payment_collections,*payment_collections.payments,*payment_collections.payments.captures,*payment_collections.payments.refunds`,
        admin
      )
      const order = data.order
      const payments: any[] = (order.payment_collections ?? []).flatMap((c: any) => c.payments ?? [])
      const ledger = await desk().listRefundRequests({ order_id: orderId })
      return {
        status: order.status as string,
        total: Number(order.total),
        collections: (order.payment_collections ?? []).length as number,
        captured: sumOf(payments.flatMap((p) => p.captures ?? [])),
        medusa_refunds: payments.flatMap((p) => p.refunds ?? []).map((r: any) => Number(r.amount)),
        medusa_refunded: sumOf(payments.flatMap((p) => p.refunds ?? [])),
        pending_difference: cents(Number(order.summary?.pending_difference ?? 0)),
        ledger: ledger.map((row: any) => ({ amount: Number(row.amount), status: row.status as string })),
        ledger_booked: sumOf(ledger.filter((row: any) => ["succeeded", "awaiting_payout"].includes(row.status))),
      }
    }

    /** The first payment of the order's first collection. */
    async function firstPaymentId(orderId: string) {
      const { data } = await client.get(`/admin/orders/${orderId}?fields=id,*payment_collections,*payment_collections.payments`, admin)
      return data.order.payment_collections[0].payments[0].id as string
    }

    /** Waits for the plugin's subscribers of `event` to finish what `action` sets off. */
    async function settled<T>(event: string, action: () => Promise<T>): Promise<T> {
      const done = TestEventUtils.waitSubscribersExecution(event, getContainer().resolve(Modules.EVENT_BUS), {
        timeout: 30_000,
      })
      const result = await action()
      await done
      return result
    }

    /**
     * Watches the order locks Medusa's wrapped routes take and give back on
     * `orderId` (owners `medusa-route:…`; the plugin's own workflows and
     * subscribers are left out) until `stop()`: who acquired and who released.
     */
    function watchRouteLocks(orderId: string) {
      type LockCall = (keys: unknown, args?: { ownerId?: string }, ...rest: unknown[]) => Promise<unknown>
      const locking = getContainer().resolve(Modules.LOCKING) as unknown as Record<"acquire" | "release", LockCall>
      const originals = { acquire: locking.acquire, release: locking.release }
      const seen = { acquired: [] as string[], released: [] as string[] }
      const watch = (name: "acquire" | "release", into: string[]): LockCall =>
        function (keys, args, ...rest) {
          const result = originals[name].call(locking, keys, args, ...rest)
          const owner = args?.ownerId
          if (owner?.startsWith("medusa-route:") && lockKeysMention(keys, orderId)) {
            result.then(
              () => into.push(owner),
              () => {}
            )
          }
          return result
        }
      locking.acquire = watch("acquire", seen.acquired)
      locking.release = watch("release", seen.released)
      return {
        seen,
        /** Waits for every lock taken to be given back, a little longer for a second release, then unwraps. */
        async settle() {
          try {
            await eventually(async () => (seen.released.length >= seen.acquired.length ? true : undefined), 10_000).catch(() => {})
            await new Promise((resolve) => setTimeout(resolve, 300))
          } finally {
            locking.acquire = originals.acquire
            locking.release = originals.release
          }
          return { acquired: seen.acquired.length, each_released_once: seen.acquired.map((owner) => seen.released.filter((o) => o === owner).length) }
        },
      }
    }

    /** Times a request. */
    async function timed(request: Promise<{ status: number; data: any }>) {
      const started = Date.now()
      const result = await answer(request)
      return { ...result, ms: Date.now() - started }
    }

    /**
     * Fires the two requests `pair` makes for each order at the same time (all
     * orders at once too), then reads each order's books: one row per order
     * with the race's outcome, both answers, and the books after.
     */
    async function race<O extends { order_id: string }>(
      orders: O[],
      pair: (order: O) => [Promise<{ status: number; data: any }>, Promise<{ status: number; data: any }>]
    ) {
      // Read each order first: right after the runner's restore the database's connections are new and
      // cold, which would slow the first action to hold the lock past the other's wait (a 409, not a race).
      await Promise.all(orders.map(({ order_id }) => books(order_id)))
      const answers = await Promise.all(orders.map((order) => Promise.all(pair(order).map(answer))))
      const states = await Promise.all(orders.map(({ order_id }) => books(order_id)))
      return answers.map(([medusa, plugin], i) => ({ outcome: outcome([medusa, plugin]), medusa, plugin, books: states[i] }))
    }

    it("defect 3: Record payment and Medusa's mark-as-paid on the same unpaid collection: one wins, the loser gets a 4xx, never €200 captured on €100", async () => {
      const orders = take("unpaid-collection", 4)
      const rows = await race(orders, ({ order_id, collection_id }) => [markAsPaid(collection_id, order_id), pay(order_id, 100)])
      expect(
        rows.map(({ outcome, books }) => ({ outcome, captured: books.captured, total: books.total, pending_difference: books.pending_difference }))
      ).toEqual(orders.map(() => ({ outcome: ONE_WINS, captured: 100, total: 100, pending_difference: 0 })))
    })

    it("Medusa's capture × Record payment on the same manual payment: one wins, captured stays within the order total", async () => {
      const orders = take("authorized", 3)
      // €150 each on a €210 payment: whichever comes second no longer fits.
      const rows = await race(orders, ({ order_id, payment_id }) => [coreCapture(payment_id, 150), pay(order_id, 150)])
      expect(rows.map(({ outcome, books }) => ({ outcome, captured: books.captured, pending_difference: books.pending_difference }))).toEqual(
        orders.map(() => ({ outcome: ONE_WINS, captured: 150, pending_difference: 60 }))
      )
    })

    it("Medusa's refund × the plugin's refund on a paid order: one wins, nothing refunded twice, the ledger holds exactly the plugin's refund", async () => {
      const orders = take("paid", 3)
      // €150 each of €210 paid: whichever comes second no longer fits.
      const rows = await race(orders, ({ order_id, payment_id }) => [coreRefund(payment_id, 150), deskRefund(order_id, 150)])
      expect(
        rows.map(({ outcome, books }) => ({ outcome, medusa_refunds: books.medusa_refunds, ledger_booked: books.ledger_booked, captured: books.captured }))
      ).toEqual(
        rows.map(({ plugin }) => ({
          outcome: ONE_WINS,
          medusa_refunds: [150],
          // Medusa's route refunds outside the ledger; the plugin's refund is in it.
          ledger_booked: plugin.status === 200 ? 150 : 0,
          captured: 210,
        }))
      )
    })

    it("Medusa's cancel × the plugin's close on a paid order: one wins, the €210 are refunded once", async () => {
      const orders = take("paid", 3)
      const rows = await race(orders, ({ order_id }) => [coreCancel(order_id), deskClose(order_id)])
      expect(
        rows.map(({ outcome, books }) => ({ outcome, status: books.status, medusa_refunds: books.medusa_refunds, ledger_booked: books.ledger_booked }))
      ).toEqual(
        rows.map(({ plugin }) => ({
          outcome: ONE_WINS,
          status: "canceled",
          medusa_refunds: [210],
          // A close refunds through the ledger; Medusa's cancel refunds outside it.
          ledger_booked: plugin.status === 200 ? 210 : 0,
        }))
      )
    })

    it("Medusa's mark-as-paid × the plugin's close on an unpaid order: a canceled order keeps no captured money", async () => {
      const [late, ...orders] = take("unpaid-collection", 4)
      const rows = await race(orders, ({ order_id, collection_id }) => [markAsPaid(collection_id, order_id), deskClose(order_id)])
      // Paid first, then closed: both succeed and the close refunds the €100 through the ledger.
      // Closed first: mark-as-paid is refused and nothing is captured.
      // Paid first, holding the lock past the close's wait (5 s; a clean-clone run with
      // every core taken): the close is refused as busy and the order stays open, paid.
      const busy = (answer: { status: number; data: any }) =>
        answer.status === 409 && String(answer.data?.message).includes("is in progress; try again in a moment")
      const expected = ({ medusa, plugin }: (typeof rows)[number]) =>
        medusa.status === 200 && plugin.status === 200
          ? { verdicts: ["ok", "ok"], captured: 100, kept: 0, ledger_booked: 100, status: "canceled" }
          : medusa.status === 200 && busy(plugin)
            ? { verdicts: ONE_WINS, captured: 100, kept: 100, ledger_booked: 0, status: "pending" }
            : { verdicts: ONE_WINS, captured: 0, kept: 0, ledger_booked: 0, status: "canceled" }
      // Whoever wins, a canceled order keeps nothing.
      expect(
        rows.map(({ outcome, books }) => ({
          verdicts: outcome,
          captured: books.captured,
          kept: cents(books.captured - books.medusa_refunded),
          ledger_booked: books.ledger_booked,
          status: books.status,
        }))
      ).toEqual(rows.map(expected))

      // The other order, made sure of: closed first, then Medusa's mark-as-paid.
      expect((await answer(deskClose(late.order_id))).status).toBe(200)
      const paid = await answer(markAsPaid(late.collection_id, late.order_id))
      const after = await books(late.order_id)
      expect({ verdict: verdict(paid), captured: after.captured, status: after.status }).toEqual({
        verdict: "refused",
        captured: 0,
        status: "canceled",
      })
    })

    /**
     * What must hold on an order whatever raced on it: nothing kept beyond the
     * largest total the order had (none at all once canceled), nothing refunded
     * beyond what was captured, every booked ledger row has its Medusa refund
     * and every refund the plugin wrote in Medusa has its booked ledger row, no
     * ledger row left half-way, and a closure exactly when the order is canceled
     * (a Medusa cancel's closure is written by a subscriber: waited for).
     */
    async function seams(orderId: string, totalBefore: number) {
      const read = async () => {
        const { data } = await client.get(
          `/admin/orders/${orderId}?fields=id,status,total,*payment_collections,*payment_collections.payments,*payment_collections.payments.captures,*payment_collections.payments.refunds`,
          admin
        )
        const order = data.order
        const payments: any[] = (order.payment_collections ?? []).flatMap((c: any) => c.payments ?? [])
        const refunds: any[] = payments.flatMap((p) => p.refunds ?? [])
        const ledger: any[] = await desk().listRefundRequests({ order_id: orderId })
        const booked = ledger.filter((row) => ["succeeded", "awaiting_payout"].includes(row.status))
        const closures = await desk().listOrderClosures({ order_id: orderId })
        const byPlugin = (r: any) => r.metadata?.recorded_by === "medusa-payment-desk"
        const captured = sumOf(payments.flatMap((p) => p.captures ?? []))
        const refunded = sumOf(refunds)
        const kept = cents(captured - refunded)
        const status = order.status as string
        return {
          figures: {
            status,
            total: Number(order.total),
            captured,
            ledger_booked: sumOf(booked),
            core_refunded: sumOf(refunds.filter((r) => !byPlugin(r))),
          },
          invariants: {
            no_over_capture: kept <= Math.max(totalBefore, Number(order.total)) && (status !== "canceled" || kept === 0),
            refunded_within_captured: refunded <= captured,
            ledger_rows_in_medusa: booked.every((row) =>
              refunds.some((r) => r.id === row.medusa_refund_id && Number(r.amount) === Number(row.amount))
            ),
            plugin_refunds_in_ledger: refunds
              .filter(byPlugin)
              .every((r) => booked.some((row) => row.id === r.metadata?.refund_request_id && row.medusa_refund_id === r.id)),
            no_half_written_ledger_rows: ledger.length === booked.length,
            closure_iff_canceled: closures.length === (status === "canceled" ? 1 : 0),
          },
        }
      }
      const allHold = (s: Awaited<ReturnType<typeof read>>) => Object.values(s.invariants).every(Boolean)
      return eventually(async () => {
        const state = await read()
        return allHold(state) ? state : undefined
      }, 8_000).catch(() => read())
    }
    const SEAMS_HOLD = {
      no_over_capture: true,
      refunded_within_captured: true,
      ledger_rows_in_medusa: true,
      plugin_refunds_in_ledger: true,
      no_half_written_ledger_rows: true,
      closure_iff_canceled: true,
    }

    /** Medusa's order edit on a paid or part-paid order: one more item added, or one of its two removed; requested when asked. */
    async function beginEdit(orderId: string, change: "add" | "remove", requested: boolean) {
      await client.post("/admin/order-edits", { order_id: orderId }, admin)
      if (change === "add") {
        await client.post(`/admin/order-edits/${orderId}/items`, { items: [{ variant_id: store.variant_ids[0], quantity: 1 }] }, admin)
      } else {
        const { data } = await client.get(`/admin/orders/${orderId}?fields=items.id`, admin)
        await client.post(`/admin/order-edits/${orderId}/items/item/${data.order.items[0].id}`, { quantity: 1 }, admin)
      }
      if (requested) {
        await client.post(`/admin/order-edits/${orderId}/request`, {}, admin)
      }
    }

    /** A paid order fulfilled, with a return of one of its two items requested and received, waiting for Medusa's receive confirmation. */
    async function receivedReturn(orderId: string) {
      const { data } = await client.get(`/admin/orders/${orderId}?fields=items.id`, admin)
      const item = data.order.items[0].id as string
      await client.post(`/admin/orders/${orderId}/fulfillments`, { items: [{ id: item, quantity: 2 }] }, admin)
      const { data: created } = await client.post("/admin/returns", { order_id: orderId }, admin)
      const returnId = created.return.id as string
      await client.post(`/admin/returns/${returnId}/request-items`, { items: [{ id: item, quantity: 1 }] }, admin)
      await client.post(`/admin/returns/${returnId}/request`, {}, admin)
      await client.post(`/admin/returns/${returnId}/receive`, {}, admin)
      await client.post(`/admin/returns/${returnId}/receive-items`, { items: [{ id: item, quantity: 1 }] }, admin)
      return returnId
    }

    type Start = "authorized" | "part-paid" | "paid" | "unpaid-collection"
    type Ctx = { order_id: string; payment_id: string; collection_id: string; return_id: string }
    type Figures = Awaited<ReturnType<typeof seams>>["figures"]
    /**
     * One race: the order it starts from (`authorized`: €210 nothing received;
     * `part-paid`: €100 of €210 recorded; `paid`: €210 recorded;
     * `unpaid-collection`: a €100 order with only Medusa's unpaid collection),
     * what else is prepared, Medusa's request and the plugin's, the answers
     * allowed (`both` when either order is legitimate, so both may succeed),
     * and the figures after, given who succeeded.
     */
    type Cell = {
      name: string
      start: Start
      prepare?: (ctx: Ctx) => Promise<Partial<Ctx> | void>
      medusa: (ctx: Ctx) => Promise<{ status: number; data: any }>
      plugin: (ctx: Ctx) => Promise<{ status: number; data: any }>
      both: boolean
      expected: (medusa: boolean, plugin: boolean) => Partial<Figures>
    }
    const closedIf = (closed: boolean) => ({ status: closed ? "canceled" : "pending" })
    // The pairs the tests above race on several orders each (capture × record payment, refund × refund,
    // mark-as-paid × record payment and × close, cancel × close) are not repeated here.
    const CELLS: Cell[] = [
      // Medusa's capture.
      { name: "capture × refund", start: "part-paid", medusa: (c) => coreCapture(c.payment_id, 110), plugin: (c) => deskRefund(c.order_id, 50), both: true,
        expected: (m, p) => ({ captured: m ? 210 : 100, ledger_booked: p ? 50 : 0 }) },
      { name: "capture × close", start: "part-paid", medusa: (c) => coreCapture(c.payment_id, 110), plugin: (c) => deskClose(c.order_id), both: true,
        expected: (m, p) => ({ captured: m ? 210 : 100, ledger_booked: p ? (m ? 210 : 100) : 0, ...closedIf(p) }) },
      // Medusa's refund.
      { name: "refund × record payment", start: "part-paid", medusa: (c) => coreRefund(c.payment_id, 50), plugin: (c) => pay(c.order_id, 110), both: true,
        expected: (m, p) => ({ captured: p ? 210 : 100, core_refunded: m ? 50 : 0 }) },
      { name: "refund × close", start: "paid", medusa: (c) => coreRefund(c.payment_id, 100), plugin: (c) => deskClose(c.order_id), both: true,
        expected: (m, p) => ({ core_refunded: m ? 100 : 0, ledger_booked: p ? (m ? 110 : 210) : 0, ...closedIf(p) }) },
      // Medusa's mark-as-paid.
      { name: "mark-as-paid × refund", start: "unpaid-collection", medusa: (c) => markAsPaid(c.collection_id, c.order_id), plugin: (c) => deskRefund(c.order_id, 50), both: true,
        expected: (m, p) => ({ captured: m ? 100 : 0, ledger_booked: p ? 50 : 0 }) },
      // Medusa's cancel.
      { name: "cancel × record payment", start: "authorized", medusa: (c) => coreCancel(c.order_id), plugin: (c) => pay(c.order_id, 210), both: true,
        expected: (m, p) => ({ captured: p ? 210 : 0, core_refunded: m && p ? 210 : 0, ledger_booked: 0, ...closedIf(m) }) },
      { name: "cancel × refund", start: "paid", medusa: (c) => coreCancel(c.order_id), plugin: (c) => deskRefund(c.order_id, 50), both: true,
        expected: (m, p) => ({ ledger_booked: p ? 50 : 0, core_refunded: m ? (p ? 160 : 210) : 0, ...closedIf(m) }) },
      // Medusa's order edit, adding an item (+€100) or removing one of two (−€100).
      { name: "edit request (+item) × record payment", start: "part-paid", prepare: (c) => beginEdit(c.order_id, "add", false),
        medusa: (c) => client.post(`/admin/order-edits/${c.order_id}/request`, {}, admin), plugin: (c) => pay(c.order_id, 110), both: true,
        expected: (m, p) => ({ captured: p ? 210 : 100, total: 210 }) },
      // Not raced against the edit's request: a refund or a close while an edit is begun or requested. The
      // plugin refuses both whoever comes first, with one check for either state of the change (see the
      // test "refuses the plugin's refund and a close that refunds while Medusa's order edit is under way"),
      // and the request route under the lock races Record payment in the cell above.
      { name: "edit confirm (+item) × record payment", start: "part-paid", prepare: (c) => beginEdit(c.order_id, "add", true),
        medusa: (c) => client.post(`/admin/order-edits/${c.order_id}/confirm`, {}, admin), plugin: (c) => pay(c.order_id, 110), both: true,
        expected: (m, p) => ({ captured: p ? 210 : 100, total: m ? 310 : 210 }) },
      { name: "edit confirm (+item) × refund", start: "paid", prepare: (c) => beginEdit(c.order_id, "add", true),
        medusa: (c) => client.post(`/admin/order-edits/${c.order_id}/confirm`, {}, admin), plugin: (c) => deskRefund(c.order_id, 50), both: true,
        // The refund's credit line lowers the total as core's refund does.
        expected: (m, p) => ({ captured: 210, ledger_booked: p ? 50 : 0, total: (m ? 310 : 210) - (p ? 50 : 0) }) },
      { name: "edit confirm (+item) × close", start: "part-paid", prepare: (c) => beginEdit(c.order_id, "add", true),
        medusa: (c) => client.post(`/admin/order-edits/${c.order_id}/confirm`, {}, admin), plugin: (c) => deskClose(c.order_id), both: true,
        expected: (m, p) => ({ captured: 100, ledger_booked: p ? 100 : 0, ...closedIf(p) }) },
      { name: "edit confirm (−item) × refund", start: "paid", prepare: (c) => beginEdit(c.order_id, "remove", true),
        medusa: (c) => client.post(`/admin/order-edits/${c.order_id}/confirm`, {}, admin), plugin: (c) => deskRefund(c.order_id, 100), both: true,
        expected: (m, p) => ({ captured: 210, ledger_booked: p ? 100 : 0 }) },
      { name: "edit confirm (−item) × close", start: "paid", prepare: (c) => beginEdit(c.order_id, "remove", true),
        medusa: (c) => client.post(`/admin/order-edits/${c.order_id}/confirm`, {}, admin), plugin: (c) => deskClose(c.order_id), both: true,
        expected: (m, p) => ({ captured: 210, ledger_booked: p ? 210 : 0, ...closedIf(p) }) },
      // Medusa's return receipt: money becomes due back, which the plugin's refund pays.
      { name: "return receive confirm × refund", start: "paid", prepare: async (c) => ({ return_id: await receivedReturn(c.order_id) }),
        medusa: (c) => client.post(`/admin/returns/${c.return_id}/receive/confirm`, {}, admin), plugin: (c) => deskRefund(c.order_id, 100), both: true,
        expected: (m, p) => ({ captured: 210, ledger_booked: p ? 100 : 0 }) },
      // Not raced against a close: a fulfilled order cannot be closed (Medusa's cancel rule) whoever comes
      // first, and the close of a fulfilled, paid order is refused before anything is refunded in
      // money-defects.spec ("defect 4c"); the receive confirmation under the lock races the refund above.
    ]

    /** Places an order as `start` says (for the pool), with its payment, its unpaid collection where it has one. */
    async function placeFor(start: Start): Promise<Ctx> {
      if (start === "unpaid-collection") {
        const { order_id, collection_id } = await unpaidCollectionOrder()
        return { order_id, collection_id, payment_id: "", return_id: "" }
      }
      const placed = await bankOrder()
      const paid = { authorized: 0, "part-paid": 100, paid: 210 }[start]
      if (paid) await pay(placed.order_id, paid)
      return { ...placed, collection_id: "", return_id: "" }
    }

    // The table in two halves, each a test of its own: the runner's restore between them lets the
    // halves use the same orders, so the pool holds half the part-paid and paid orders.
    const TABLES: [string, Cell[]][] = [
      ["payment routes (capture, refund, mark-as-paid, cancel)", CELLS.filter((cell) => !/^(edit|return) /.test(cell.name))],
      ["order changes (edits, a return)", CELLS.filter((cell) => /^(edit|return) /.test(cell.name))],
    ]
    it.each(TABLES)("races each wrapped Medusa money route against Record payment, refund and close, %s: the loser gets a 4xx, the books agree, nothing half-written", async (_, cells) => {
      const started = Date.now()
      // Each cell on an order of its own, all prepared at once; then the races a few at a time, Medusa's
      // request and the plugin's together. All races at once would load the two cores so that every
      // waiter ran out of its lock wait (409) and the "both succeed" orders never showed.
      const starts = takeEach(cells.map((cell) => cell.start))
      const prepared = await Promise.all(
        cells.map(async (cell, i) => {
          const start = starts[i]
          const ctx = { ...start, ...((cell.prepare ? await cell.prepare(start) : undefined) ?? {}) }
          const { data } = await client.get(`/admin/orders/${ctx.order_id}?fields=id,total`, admin)
          return { ctx, total_before: Number(data.order.total) }
        })
      )
      const setUp = Date.now()
      const results: { answers: [Answer, Answer]; state: Awaited<ReturnType<typeof seams>> }[] = []
      const timings: string[] = []
      let next = 0
      const lane = async () => {
        for (let i = next++; i < cells.length; i = next++) {
          const { ctx, total_before } = prepared[i]
          const began = Date.now()
          const answers = (await Promise.all([answer(cells[i].medusa(ctx)), answer(cells[i].plugin(ctx))])) as [Answer, Answer]
          const raced = Date.now()
          results[i] = { answers, state: await seams(ctx.order_id, total_before) }
          timings[i] = `race ${raced - began} ms, books ${Date.now() - raced} ms`
        }
      }
      await Promise.all(Array.from({ length: 4 }, lane))
      const answers = results.map((r) => r.answers)
      const states = results.map((r) => r.state)
      const rows = cells.map((cell, i) => {
        const [medusa, plugin] = answers[i]
        const verdicts = outcome([medusa, plugin])
        const expected = cell.expected(medusa.status === 200, plugin.status === 200)
        const figures = Object.fromEntries(Object.keys(expected).map((k) => [k, states[i].figures[k as keyof Figures]]))
        return {
          actual: {
            cell: cell.name,
            verdicts_allowed: JSON.stringify(verdicts) === JSON.stringify(ONE_WINS) || (cell.both && verdicts.join() === "ok,ok"),
            ...states[i].invariants,
            ...figures,
          },
          expected: { cell: cell.name, verdicts_allowed: true, ...SEAMS_HOLD, ...expected },
          answers: `medusa ${verdict(medusa)} ${medusa.status !== 200 ? medusa.data?.message : ""} | plugin ${verdict(plugin)} ${plugin.status !== 200 ? plugin.data?.message : ""}`,
        }
      })
      process.stdout.write(
        `[race table] ${cells.length} cells: setup ${setUp - started} ms, races and books ${Date.now() - setUp} ms\n` +
          rows.map((r, i) => `  ${r.actual.cell}: ${r.answers} (${timings[i]})`).join("\n") + "\n"
      )
      expect(rows.map((r) => r.actual)).toEqual(rows.map((r) => r.expected))
    })

    it("refuses the plugin's refund and a close that refunds while Medusa's order edit is under way (begun or requested), before any money moves", async () => {
      // Found by the race table: the refund went to the provider, then booking it in Medusa failed
      // ("already has an existing active order change"), leaving the ledger row pending and the close refused.
      const [{ order_id }] = take("paid", 1)
      // Begun (the change pending), then requested.
      await beginEdit(order_id, "add", false)
      const refundedWhileBegun = await answer(deskRefund(order_id, 50))
      const closedWhileBegun = await answer(deskClose(order_id))
      await client.post(`/admin/order-edits/${order_id}/request`, {}, admin)
      const refunded = await answer(deskRefund(order_id, 50))
      const closed = await answer(deskClose(order_id))
      const during = await seams(order_id, 210)
      await client.delete(`/admin/order-edits/${order_id}`, admin)
      const after = await answer(deskRefund(order_id, 50))
      const state = await seams(order_id, 210)
      const refusal = (a: Answer) => [a.status, a.data?.code, /has an order edit in progress .*: confirm or cancel it before/.test(a.data?.message ?? "")]
      expect({
        refund_while_begun: refusal(refundedWhileBegun),
        close_while_begun: refusal(closedWhileBegun),
        refund: refusal(refunded),
        close: refusal(closed),
        during: { ...during.invariants, ...during.figures },
        after_edit_canceled: after.status,
        after: { ...state.invariants, ledger_booked: state.figures.ledger_booked, core_refunded: state.figures.core_refunded },
      }).toEqual({
        refund_while_begun: [400, "payment_desk.order_change_active", true],
        close_while_begun: [400, "payment_desk.order_change_active", true],
        refund: [400, "payment_desk.order_change_active", true],
        close: [400, "payment_desk.order_change_active", true],
        during: { ...SEAMS_HOLD, status: "pending", total: 210, captured: 210, ledger_booked: 0, core_refunded: 0 },
        after_edit_canceled: 200,
        after: { ...SEAMS_HOLD, ledger_booked: 50, core_refunded: 0 },
      })
    })

    it("refuses Medusa's capture and mark-as-paid on an order Medusa canceled: its partly captured payment stays open in Medusa, but takes no more money", async () => {
      const [{ order_id, payment_id }] = take("part-paid", 1)
      expect((await answer(coreCancel(order_id))).status).toBe(200)
      const before = await seams(order_id, 210)
      const capture = await answer(coreCapture(payment_id, 110))
      const unpaid = await answer(client.post("/admin/payment-collections", { order_id, amount: 110 }, admin))
      const marked = unpaid.status === 200 ? await answer(markAsPaid(unpaid.data.payment_collection.id, order_id)) : unpaid
      const after = await seams(order_id, 210)
      expect({
        capture: [capture.status, capture.data?.message],
        mark_as_paid: [marked.status, marked.data?.message],
        figures: after.figures,
        invariants: after.invariants,
      }).toEqual({
        capture: [400, expect.stringMatching(/^Order #\d+ is canceled: it takes no more money/)],
        mark_as_paid: [400, expect.stringMatching(/^Order #\d+ is canceled: it takes no more money/)],
        figures: { ...before.figures, captured: 100, core_refunded: 100, status: "canceled" },
        invariants: SEAMS_HOLD,
      })
    })

    it("gives the lock back after a fault inside Medusa's capture, refund, mark-as-paid, cancel, payment-collection create, credit line, order-edit confirm and return receive confirm: the next plugin action is answered at once, the books agree", async () => {
      type FaultCase = {
        name: string
        start: Start
        prepare?: (ctx: Ctx) => Promise<Partial<Ctx> | void>
        service: string
        method: string
        fire: (c: Ctx) => Promise<{ status: number; data: any }>
        next: (c: Ctx) => Promise<{ status: number; data: any }>
        expected: Partial<Figures>
        next_verdict?: "refused"
      }
      const cases: FaultCase[] = [
        { name: "capture", start: "authorized", service: Modules.PAYMENT, method: "capturePayment",
          fire: (c) => coreCapture(c.payment_id, 210), next: (c) => pay(c.order_id, 210), expected: { captured: 210, ledger_booked: 0 } },
        { name: "refund", start: "paid", service: Modules.PAYMENT, method: "refundPayment",
          fire: (c) => coreRefund(c.payment_id, 100), next: (c) => deskRefund(c.order_id, 100), expected: { captured: 210, core_refunded: 0, ledger_booked: 100 } },
        { name: "mark-as-paid", start: "unpaid-collection", service: Modules.PAYMENT, method: "capturePayment",
          // Medusa leaves the collection `authorized` with a canceled payment; Record payment still pays it (see below).
          fire: (c) => markAsPaid(c.collection_id, c.order_id), next: (c) => pay(c.order_id, 100), expected: { captured: 100, ledger_booked: 0 } },
        // The last step of Medusa's cancel fails after its refunds (which core cannot take back):
        // the plugin's close then has nothing left to refund; it books those refunds and closes the order.
        { name: "cancel", start: "paid", service: Modules.ORDER, method: "cancel",
          fire: (c) => coreCancel(c.order_id), next: (c) => deskClose(c.order_id), expected: { core_refunded: 210, ledger_booked: 0, status: "canceled" } },
        // Medusa's other wrapped routes: the fault in the module call that does their work.
        { name: "payment-collection create", start: "part-paid", service: Modules.PAYMENT, method: "createPaymentCollections",
          fire: (c) => client.post("/admin/payment-collections", { order_id: c.order_id, amount: 5 }, admin),
          next: (c) => pay(c.order_id, 110), expected: { captured: 210, total: 210, ledger_booked: 0 } },
        // (Medusa takes a credit line only while something is owed: a part-paid order.)
        { name: "credit line", start: "part-paid", service: Modules.ORDER, method: "confirmOrderChange",
          fire: (c) => client.post(`/admin/orders/${c.order_id}/credit-lines`, { amount: 10, reference: "order", reference_id: c.order_id }, admin),
          next: (c) => pay(c.order_id, 110), expected: { captured: 210, total: 210 } },
        { name: "order-edit confirm", start: "part-paid", prepare: (c) => beginEdit(c.order_id, "add", true), service: Modules.ORDER, method: "confirmOrderChange",
          fire: (c) => client.post(`/admin/order-edits/${c.order_id}/confirm`, {}, admin),
          next: (c) => pay(c.order_id, 110), expected: { captured: 210, total: 210 } },
        // The return's receipt is still open after the fault, so the plugin's refund is refused for it
        // (payment_desk.order_change_active), not for a lock left held (`released` shows that).
        { name: "return receive confirm", start: "paid", prepare: async (c) => ({ return_id: await receivedReturn(c.order_id) }),
          service: Modules.ORDER, method: "confirmOrderChange",
          fire: (c) => client.post(`/admin/returns/${c.return_id}/receive/confirm`, {}, admin),
          next: (c) => deskRefund(c.order_id, 50), expected: { captured: 210, ledger_booked: 0, core_refunded: 0 }, next_verdict: "refused" },
      ]
      const ctxs = takeEach(cases.map((c) => c.start))
      const rows = []
      for (const [i, c] of cases.entries()) {
        const ctx = ctxs[i]
        Object.assign(ctx, (await c.prepare?.(ctx)) ?? {})
        const locks = watchRouteLocks(ctx.order_id)
        const fault = faultOnce(getContainer().resolve(c.service), c.method)
        let failed: Answer
        try {
          failed = await answer(c.fire(ctx))
        } finally {
          fault.restore()
        }
        const released = await locks.settle()
        const next = await timed(c.next(ctx))
        const state = await seams(ctx.order_id, c.start === "unpaid-collection" ? 100 : 210)
        const figures = Object.fromEntries(Object.keys(c.expected).map((k) => [k, state.figures[k as keyof Figures]]))
        rows.push({
          actual: { name: c.name, fired: fault.fired, route_failed: failed.status >= 400, released, next: verdict(next), ...state.invariants, ...figures },
          expected: { name: c.name, fired: 1, route_failed: true, released: { acquired: 1, each_released_once: [1] }, next: c.next_verdict ?? "ok", ...SEAMS_HOLD, ...c.expected },
        })
      }
      expect(rows.map((r) => r.actual)).toEqual(rows.map((r) => r.expected))
    })

    /** A collection's status, captured amount and sessions, as Medusa's payment module holds them. */
    async function collectionState(collectionId: string) {
      const { data } = await getContainer()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({
          entity: "payment_collection",
          fields: ["id", "status", "captured_amount", "payment_sessions.id", "payment_sessions.status", "payments.id", "payments.canceled_at"],
          filters: { id: collectionId },
        })
      const collection = data[0]
      return {
        status: collection.status as string,
        captured_amount: Number(collection.captured_amount ?? 0),
        sessions: (collection.payment_sessions ?? []).map((s: any) => ({ id: s.id as string, status: s.status as string })),
        live_payments: (collection.payments ?? []).filter((p: any) => !p.canceled_at).length as number,
      }
    }

    // Medusa's mark-as-paid that fails inside its capture compensates by canceling the payment it
    // authorized and deleting the session it created, but leaves the collection `authorized`; Medusa's own
    // mark-as-paid then refuses it ("not_paid" required). Record payment counts such a collection (every
    // payment canceled, no capture, every session dead) as unpaid and pays it in full through a session
    // of its own. When the compensation's session deletion fails too, the session stays authorized with
    // its canceled payment: Record payment sets it aside (soft-deleted) first. A receipt that fails after
    // its capture puts everything back as it found it.
    it("after Medusa's mark-as-paid failed inside its capture, Record payment still records the receipt on that collection, and undoes itself when it fails", async () => {
      const cases = [
        { name: "session deleted by Medusa's compensation", session_left: false },
        { name: "session left authorized (its deletion failed too)", session_left: true },
      ]
      const orders = take("unpaid-collection", cases.length)
      const rows: { actual: unknown; expected: unknown }[] = []
      for (const [i, c] of cases.entries()) {
        const { order_id, collection_id } = orders[i]
        const faults = [
          faultOnce(getContainer().resolve(Modules.PAYMENT), "capturePayment"),
          ...(c.session_left ? [faultOnce(getContainer().resolve(Modules.PAYMENT), "deletePaymentSession")] : []),
        ]
        let core: Answer
        try {
          core = await answer(markAsPaid(collection_id, order_id))
        } finally {
          faults.forEach((fault) => fault.restore())
        }
        const stuck = await collectionState(collection_id)
        // A receipt that fails after its capture (booking it on the order) leaves the collection as it found it.
        const later = faultOnce(getContainer().resolve(Modules.ORDER), "addOrderTransactions", { when: argHas("reference", "capture") })
        let failed: Answer
        try {
          failed = await answer(pay(order_id, 100))
        } finally {
          later.restore()
        }
        const afterFailure = await collectionState(collection_id)
        const booksAfterFailure = await books(order_id)
        const recorded = await answer(pay(order_id, 100))
        const paid = await collectionState(collection_id)
        const state = await books(order_id)
        const statuses = (sessions: { status: string }[]) => sessions.map((s) => s.status)
        rows.push({
          actual: {
            name: c.name,
            core: { failed: core.status >= 400, faults_fired: faults.map((fault) => fault.fired) },
            stuck: { status: stuck.status, sessions: statuses(stuck.sessions), live_payments: stuck.live_payments },
            failed: { fired: later.fired, status: failed.status >= 400 },
            after_failure: { ...afterFailure, captured: booksAfterFailure.captured, pending_difference: booksAfterFailure.pending_difference },
            recorded: { status: recorded.status, message: recorded.data?.message },
            paid: { status: paid.status, captured_amount: paid.captured_amount, sessions: statuses(paid.sessions), live_payments: paid.live_payments },
            books: { captured: state.captured, total: state.total, pending_difference: state.pending_difference },
          },
          expected: {
            name: c.name,
            core: { failed: true, faults_fired: c.session_left ? [1, 1] : [1] },
            stuck: { status: "authorized", sessions: c.session_left ? ["authorized"] : [], live_payments: 0 },
            failed: { fired: 1, status: true },
            // The same status, captured amount and sessions (ids included), nothing captured or booked.
            after_failure: { ...stuck, captured: 0, pending_difference: 100 },
            recorded: { status: 200, message: undefined },
            // A dead session is set aside; the receipt's own session holds the capture.
            paid: { status: "completed", captured_amount: 100, sessions: ["authorized"], live_payments: 1 },
            books: { captured: 100, total: 100, pending_difference: 0 },
          },
        })
      }
      expect(rows.map((r) => r.actual)).toEqual(rows.map((r) => r.expected))
    })

    it("never touches a collection a customer may still be paying: a pending session keeps Record payment off it", async () => {
      const [{ order_id, collection_id }] = take("unpaid-collection", 1)
      // A session that is not authorized (as a card session the customer has not finished).
      await client.post(`/admin/payment-collections/${collection_id}/payment-sessions`, { provider_id: "pp_manual_bank-transfer" }, admin)
      const before = await collectionState(collection_id)
      const refused = await answer(pay(order_id, 100))
      expect({
        session: before.sessions.map((s: { status: string }) => s.status),
        status: refused.status,
        message: refused.data?.message,
        after: await collectionState(collection_id),
      }).toEqual({
        session: ["pending"],
        status: 400,
        message: `Order ${order_id} has no authorized manual payment and no unpaid payment collection to record a receipt against`,
        after: before,
      })
    })

    // Medusa's cancel that fails in its last step (canceling the order) has refunded the captured money
    // already (core cannot take a refund back), but its compensation removes the refunds' order
    // transactions and credit line: Medusa's payment rows say €210 refunded, the order's summary only what
    // was refunded before. The plugin's close books every Medusa refund the order's books miss (its order
    // transaction and credit line, as core's refund books one) before it closes, so the closed order counts
    // them (a refund booked already is skipped: unbooked-refunds.unit.spec.ts).
    it("after Medusa's cancel failed past its refunds, the plugin's close leaves the order's summary counting every refund", async () => {
      const [{ order_id }] = take("paid", 1)
      const fault = faultOnce(getContainer().resolve(Modules.ORDER), "cancel")
      try {
        expect((await answer(coreCancel(order_id))).status).toBeGreaterThanOrEqual(400)
      } finally {
        fault.restore()
      }
      const lost = await books(order_id)
      expect((await answer(deskClose(order_id))).status).toBe(200)
      const state = await books(order_id)
      const { data } = await client.get(`/admin/payment-desk/orders/${order_id}`, admin)
      const { data: medusa } = await client.get(`/admin/orders/${order_id}?fields=id,summary,*transactions,*credit_lines`, admin)
      const refundIds = (await getContainer().resolve(Modules.PAYMENT).listRefunds({ payment_id: (await firstPaymentId(order_id)) })).map((r) => r.id)
      const refundTransactions = (medusa.order.transactions ?? []).filter((t: any) => t.reference === "refund")
      expect({
        lost: { medusa_refunded: lost.medusa_refunded, pending_difference: lost.pending_difference },
        medusa_refunded: state.medusa_refunded,
        desk_refunded: Number(data.refunded_total),
        medusa_summary_refunded: Number(medusa.order.summary.refunded_total),
        pending_difference: state.pending_difference,
        booked: refundTransactions.map((t: any) => [t.reference_id, Number(t.amount)]),
        credit_lines: (medusa.order.credit_lines ?? []).filter((c: any) => c.reference === "refund").map((c: any) => [c.reference_id, Number(c.amount)]),
        status: state.status,
        ledger: state.ledger,
      }).toEqual({
        // Before the close: €210 refunded at the provider, none of it in the order's books (€210 paid, nothing pending).
        lost: { medusa_refunded: 210, pending_difference: 0 },
        medusa_refunded: 210,
        desk_refunded: 210,
        medusa_summary_refunded: 210,
        pending_difference: 0,
        booked: [[refundIds[0], -210]],
        credit_lines: [[refundIds[0], 210]],
        status: "canceled",
        // Nothing was left to refund: the close moved no money.
        ledger: [],
      })
    })

    it("answers 409 after the wait on every wrapped Medusa route while another action holds the order's lock, and nothing moves", async () => {
      const [{ order_id, payment_id }, forReturn, forClaim, forExchange] = take("paid", 4)
      const unpaid = await client.post("/admin/payment-collections", { order_id, amount: 5 }, admin)
      const collection_id = unpaid.data.payment_collection.id as string
      // A payment session on that collection, for Medusa's authorize route (which names it in its body).
      await client.post(`/admin/payment-collections/${collection_id}/payment-sessions`, { provider_id: "pp_manual_bank-transfer" }, admin)
      const { data: sessions } = await getContainer()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({ entity: "payment_session", fields: ["id"], filters: { payment_collection_id: collection_id } })
      const session_id = sessions[0].id as string
      // A return, a claim and an exchange begun, each on an order of its own (an order has one
      // active change at a time); beginning one moves no money, so it is not wrapped.
      const { data: ret } = await client.post("/admin/returns", { order_id: forReturn.order_id }, admin)
      const { data: claim } = await client.post("/admin/claims", { order_id: forClaim.order_id, type: "refund" }, admin)
      const { data: exchange } = await client.post("/admin/exchanges", { order_id: forExchange.order_id }, admin)
      const orderIds = [order_id, forReturn.order_id, forClaim.order_id, forExchange.order_id]
      const before = await Promise.all(orderIds.map(books))

      const held = await Promise.all(orderIds.map((id) => acquireOrderLock(getContainer(), id, `test:${unique()}`)))
      let answers: (Answer & { ms: number; route: string })[]
      try {
        const calls: [string, () => Promise<{ status: number; data: any }>][] = [
          ["capture", () => coreCapture(payment_id, 1)],
          ["refund", () => coreRefund(payment_id, 1)],
          ["mark-as-paid", () => markAsPaid(collection_id, order_id)],
          ["payment-collections", () => client.post("/admin/payment-collections", { order_id, amount: 1 }, admin)],
          ["delete payment-collection", () => client.delete(`/admin/payment-collections/${collection_id}`, admin)],
          ["authorize", () => client.post(`/admin/orders/${order_id}/payment-sessions/authorize`, { payment_session_id: session_id }, admin)],
          ["cancel", () => coreCancel(order_id)],
          ["credit-lines", () => client.post(`/admin/orders/${order_id}/credit-lines`, { amount: 1, reference: "order", reference_id: order_id }, admin)],
          ["order-edit request", () => client.post(`/admin/order-edits/${order_id}/request`, {}, admin)],
          ["order-edit confirm", () => client.post(`/admin/order-edits/${order_id}/confirm`, {}, admin)],
          ["return request", () => client.post(`/admin/returns/${ret.return.id}/request`, {}, admin)],
          ["return receive confirm", () => client.post(`/admin/returns/${ret.return.id}/receive/confirm`, {}, admin)],
          ["return cancel", () => client.post(`/admin/returns/${ret.return.id}/cancel`, {}, admin)],
          ["claim request", () => client.post(`/admin/claims/${claim.claim.id}/request`, {}, admin)],
          ["claim cancel", () => client.post(`/admin/claims/${claim.claim.id}/cancel`, {}, admin)],
          ["exchange request", () => client.post(`/admin/exchanges/${exchange.exchange.id}/request`, {}, admin)],
          ["exchange cancel", () => client.post(`/admin/exchanges/${exchange.exchange.id}/cancel`, {}, admin)],
        ]
        answers = await Promise.all(calls.map(async ([route, call]) => ({ route, ...(await timed(call())) })))
      } finally {
        await Promise.all(held.map((lock) => releaseOrderLock(getContainer(), lock)))
      }
      expect(
        answers.map((a) => ({
          route: a.route,
          status: a.status,
          message: /Another money action on order .* is in progress/.test(a.data?.message ?? "") ? "busy" : a.data?.message,
          waited: a.ms >= WAIT_SECONDS * 1000 - 100,
        }))
      ).toEqual(answers.map((a) => ({ route: a.route, status: 409, message: "busy", waited: true })))

      expect(await Promise.all(orderIds.map(books))).toEqual(before)
    })

    it("lets a Medusa route with an id it cannot place on an order answer as Medusa does", async () => {
      const unknownPayment = await timed(coreCapture("pay_does_not_exist"))
      const unknownOrder = await timed(coreCancel("order_does_not_exist"))
      const noSuchOrder = await timed(client.post("/admin/payment-collections", { order_id: "order_does_not_exist", amount: 1 }, admin))
      for (const a of [unknownPayment, unknownOrder, noSuchOrder]) {
        // Not 409: no lock was waited for (a wait ends in 409); no clock
        // bound, which a loaded CI machine breaks.
        expect({ not_busy: a.status !== 409, client_error: a.status >= 400 && a.status < 500 }).toEqual({
          not_busy: true,
          client_error: true,
        })
      }
      expect(unknownPayment.status).toBe(404)
      expect(unknownOrder.status).toBe(404)
    })

    it("gives the lock back when Medusa's route fails: the plugin's Record payment on the order goes through at once", async () => {
      const [{ order_id, payment_id }] = take("authorized", 1)
      const locks = watchRouteLocks(order_id)
      const refused = await answer(coreCapture(payment_id, 500))
      expect({ status: refused.status, message: refused.data.message }).toEqual({
        status: 400,
        message: "You cannot capture more than the authorized amount substracted by what is already captured.",
      })
      expect(await locks.settle()).toEqual({ acquired: 1, each_released_once: [1] })
      const recorded = await timed(pay(order_id, 210))
      // 200, not 409: the lock was free (a leaked lock is held until its TTL, and a
      // request that waits for it past WAIT_SECONDS gets 409). No clock bound:
      // on a loaded CI machine the receipt itself takes longer than the wait.
      expect(recorded.status).toBe(200)
      expect((await books(order_id)).captured).toBe(210)
    })

    it("gives the lock back when the client hung up before Medusa's route answered", async () => {
      const [{ order_id, payment_id }] = take("authorized", 1)
      const held = await acquireOrderLock(getContainer(), order_id, `test:${unique()}`)
      const locks = watchRouteLocks(order_id)
      // The capture waits for the lock in the middleware; its client gives up meanwhile.
      const base = new URL((api as unknown as { defaults: { baseURL: string } }).defaults.baseURL)
      const body = JSON.stringify({ amount: 50 })
      await new Promise<void>((resolve) => {
        const request = http.request({
          host: base.hostname,
          port: base.port,
          method: "POST",
          path: `/admin/payments/${payment_id}/capture`,
          headers: { ...admin.headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        })
        request.on("error", () => resolve())
        request.end(body)
        setTimeout(() => {
          request.destroy()
          resolve()
        }, 500)
      })
      await releaseOrderLock(getContainer(), held)
      // Medusa still runs the capture (Express does not stop a handler whose client left) ...
      await eventually(async () => ((await books(order_id)).captured === 50 ? true : undefined))
      expect(await locks.settle()).toEqual({ acquired: 1, each_released_once: [1] })
      // ... and the lock is free again once it has answered.
      const recorded = await eventually(async () => {
        const a = await timed(pay(order_id, 160))
        return a.status === 200 || a.status === 409 ? a : undefined
      })
      // 200, not 409: the lock was free (a leaked lock is held until its TTL, and a
      // request that waits for it past WAIT_SECONDS gets 409). No clock bound:
      // on a loaded CI machine the receipt itself takes longer than the wait.
      expect(recorded.status).toBe(200)
      expect((await books(order_id)).captured).toBe(210)
    })

    it("still audits Medusa's capture and cancel: the subscribers take the lock after the route gave it back", async () => {
      const [{ order_id, payment_id }] = take("authorized", 1)
      const locks = watchRouteLocks(order_id)
      await settled(PaymentEvents.CAPTURED, () => coreCapture(payment_id, 210))
      await settled("order.canceled", () => coreCancel(order_id))
      expect(await locks.settle()).toEqual({ acquired: 2, each_released_once: [1, 1] })
      const entries = await eventually(async () => {
        const rows = await desk().listAuditEntries({ order_id, source: "medusa" } as never)
        return rows.length === 2 ? rows : undefined
      })
      expect(entries.map((e: any) => [e.action, Number(e.amount)]).sort()).toEqual([
        ["medusa_capture", 210],
        ["medusa_refund", 210],
      ])
      // Medusa's cancel became a closure too (its own subscriber, under the same lock).
      expect(await eventually(async () => ((await desk().listOrderClosures({ order_id })).length === 1 ? true : undefined))).toBe(true)
    })
  },
})
