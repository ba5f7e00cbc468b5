// Medusa's own money routes under the plugin's order lock (issue 19, defect 3).
// Each race fires a Medusa admin route and a plugin route at the same order
// at once; exactly one may win, the loser gets a 4xx with a message, and the
// books stay consistent: Medusa's captures never exceed what the order owes,
// nothing is refunded twice, and the plugin's ledger holds exactly the
// refunds the plugin made. The lock is also shown to time out with 409, to
// be given back after a core error and after the client went away, and to
// leave the audit of core's actions (subscribers that take the same lock
// after the core event) working.
import http from "node:http"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules, PaymentEvents } from "@medusajs/framework/utils"
import { createOrderWorkflow } from "@medusajs/medusa/core-flows"
import { DEMO_ADDRESS, placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, answer, Answer, Api, eventually } from "../helpers/http"
import { usePaymentDeskOptions } from "../helpers/options"
import { lockKeysMention } from "../helpers/faults"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"
import { acquireOrderLock, releaseOrderLock } from "../../src/utils/orders/order-lock"

jest.setTimeout(240_000)

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

    beforeAll(async () => {
      store = await seedStore(getContainer(), {
        name: "Core routes lock spec",
        paymentProviders: ["pp_manual_bank-transfer", "pp_manual_cash-on-delivery"],
      })
    })

    beforeEach(async () => {
      admin = await adminHeaders(getContainer(), client)
    })

    const desk = () => getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`

    /** A bank-transfer order of €210 (2 × €100 + €10 shipping), its manual payment authorized, nothing received. */
    const bankOrder = () =>
      placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email: `bank-${unique()}@example.com`,
        items: [{ variant_id: store.variant_ids[0], quantity: 2 }],
      })

    /** A bank-transfer order of €210 whose €210 the plugin recorded (captured in full). */
    async function paidBankOrder() {
      const placed = await bankOrder()
      await pay(placed.order_id, 210)
      return placed
    }

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
      const answers = await Promise.all(orders.map((order) => Promise.all(pair(order).map(answer))))
      const states = await Promise.all(orders.map(({ order_id }) => books(order_id)))
      return answers.map(([medusa, plugin], i) => ({ outcome: outcome([medusa, plugin]), medusa, plugin, books: states[i] }))
    }

    it("defect 3: Record payment and Medusa's mark-as-paid on the same unpaid collection: one wins, the loser gets a 4xx, never €200 captured on €100", async () => {
      const orders = await Promise.all(Array.from({ length: 4 }, () => unpaidCollectionOrder()))
      const rows = await race(orders, ({ order_id, collection_id }) => [markAsPaid(collection_id, order_id), pay(order_id, 100)])
      expect(
        rows.map(({ outcome, books }) => ({ outcome, captured: books.captured, total: books.total, pending_difference: books.pending_difference }))
      ).toEqual(orders.map(() => ({ outcome: ONE_WINS, captured: 100, total: 100, pending_difference: 0 })))
    })

    it("Medusa's capture × Record payment on the same manual payment: one wins, captured stays within the order total", async () => {
      const orders = await Promise.all(Array.from({ length: 3 }, () => bankOrder()))
      // €150 each on a €210 payment: whichever comes second no longer fits.
      const rows = await race(orders, ({ order_id, payment_id }) => [coreCapture(payment_id, 150), pay(order_id, 150)])
      expect(rows.map(({ outcome, books }) => ({ outcome, captured: books.captured, pending_difference: books.pending_difference }))).toEqual(
        orders.map(() => ({ outcome: ONE_WINS, captured: 150, pending_difference: 60 }))
      )
    })

    it("Medusa's refund × the plugin's refund on a paid order: one wins, nothing refunded twice, the ledger holds exactly the plugin's refund", async () => {
      const orders = await Promise.all(Array.from({ length: 3 }, () => paidBankOrder()))
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
      const orders = await Promise.all(Array.from({ length: 3 }, () => paidBankOrder()))
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
      const orders = await Promise.all(Array.from({ length: 3 }, () => unpaidCollectionOrder()))
      const rows = await race(orders, ({ order_id, collection_id }) => [markAsPaid(collection_id, order_id), deskClose(order_id)])
      // Paid first, then closed: both succeed and the close refunds the €100 through the ledger.
      // Closed first: mark-as-paid is refused and nothing is captured.
      const expected = ({ medusa, plugin }: (typeof rows)[number]) =>
        medusa.status === 200 && plugin.status === 200
          ? { verdicts: ["ok", "ok"], captured: 100, kept: 0, ledger_booked: 100 }
          : { verdicts: ONE_WINS, captured: 0, kept: 0, ledger_booked: 0 }
      expect(
        rows.map(({ outcome, books }) => ({
          verdicts: outcome,
          captured: books.captured,
          kept: cents(books.captured - books.medusa_refunded),
          ledger_booked: books.ledger_booked,
          status: books.status,
        }))
      ).toEqual(rows.map((row) => ({ ...expected(row), status: "canceled" })))

      // The other order, made sure of: closed first, then Medusa's mark-as-paid.
      const late = await unpaidCollectionOrder()
      expect((await answer(deskClose(late.order_id))).status).toBe(200)
      const paid = await answer(markAsPaid(late.collection_id, late.order_id))
      const after = await books(late.order_id)
      expect({ verdict: verdict(paid), captured: after.captured, status: after.status }).toEqual({
        verdict: "refused",
        captured: 0,
        status: "canceled",
      })
    })

    it("answers 409 after the wait on every wrapped Medusa route while another action holds the order's lock, and nothing moves", async () => {
      const { order_id, payment_id } = await paidBankOrder()
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
      const [forReturn, forClaim, forExchange] = await Promise.all([paidBankOrder(), paidBankOrder(), paidBankOrder()])
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
        expect({ not_busy: a.status !== 409, client_error: a.status >= 400 && a.status < 500, quick: a.ms < WAIT_SECONDS * 1000 }).toEqual({
          not_busy: true,
          client_error: true,
          quick: true,
        })
      }
      expect(unknownPayment.status).toBe(404)
      expect(unknownOrder.status).toBe(404)
    })

    it("gives the lock back when Medusa's route fails: the plugin's Record payment on the order goes through at once", async () => {
      const { order_id, payment_id } = await bankOrder()
      const locks = watchRouteLocks(order_id)
      const refused = await answer(coreCapture(payment_id, 500))
      expect({ status: refused.status, message: refused.data.message }).toEqual({
        status: 400,
        message: "You cannot capture more than the authorized amount substracted by what is already captured.",
      })
      expect(await locks.settle()).toEqual({ acquired: 1, each_released_once: [1] })
      const recorded = await timed(pay(order_id, 210))
      expect({ status: recorded.status, quick: recorded.ms < WAIT_SECONDS * 1000 }).toEqual({ status: 200, quick: true })
      expect((await books(order_id)).captured).toBe(210)
    })

    it("gives the lock back when the client hung up before Medusa's route answered", async () => {
      const { order_id, payment_id } = await bankOrder()
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
      expect({ status: recorded.status, quick: recorded.ms < WAIT_SECONDS * 1000 }).toEqual({ status: 200, quick: true })
      expect((await books(order_id)).captured).toBe(210)
    })

    it("still audits Medusa's capture and cancel: the subscribers take the lock after the route gave it back", async () => {
      const { order_id, payment_id } = await bankOrder()
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
