import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, answer, Api, checkout, customerHeaders, failure } from "../helpers/http"
import { PAYMENT_DESK_MODULE, PaymentDeskModuleService } from "../../src/modules/payment-desk"
import { creditorReference, electronicCreditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { CLOSE_REASON_LABELS } from "../../src/utils/closures/reasons"
import closeUnpaidOrdersJob from "../../src/jobs/close-unpaid-orders"
import { processOrderClosureWorkflow } from "../../src/workflows/closures/process-order-closure"
import { closeOverdueOrderBatch, sweepOverdueOrders } from "../../src/workflows/closures/sweep-overdue-orders"
import { ensureAwaitingPaymentReadModel } from "../../src/modules/payment-desk/awaiting-payments"
import { capturedSelects, seqScansOfBigTables, tablesOver } from "../helpers/query-plans"

jest.setTimeout(300_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "Close spec" })
    })
    beforeEach(async () => {
      admin = await adminHeaders(getContainer(), http)
    })

    const desk = () => getContainer().resolve(PAYMENT_DESK_MODULE)
    const closed = () =>
      TestEventUtils.waitSubscribersExecution("payment_desk.order_closed", getContainer().resolve(Modules.EVENT_BUS))

    async function counters(scope = "global") {
      const { data } = await http.get(`/admin/payment-desk/counters?scope=${encodeURIComponent(scope)}`, admin)
      return Object.fromEntries(data.counters.map((c: { name: string; value: number }) => [c.name, c.value]))
    }
    // The customer's "order closed" emails (the instructions and receipt emails are emails.spec's).
    async function notificationsTo(email: string) {
      return getContainer().resolve(Modules.NOTIFICATION).listNotifications({ to: email, template: "payment-desk-order-closed" })
    }
    async function feed() {
      return getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })
    }
    async function order(orderId: string) {
      return getContainer().resolve(Modules.ORDER).retrieveOrder(orderId, { select: ["id", "status"] })
    }
    const bankOrder = (email = "buyer@example.com", quantity = 2) =>
      placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email,
        items: [{ variant_id: store.variant_ids[0], quantity }],
      })

    it("lets a customer close their own unpaid order: one closure, one event, one email, counters", async () => {
      const customer = await customerHeaders(http, store, "closer@example.com")
      const placed = await checkout(http, store, customer, "pp_manual_bank-transfer")
      const stranger = await customerHeaders(http, store, "not-mine@example.com")
      const notMine = await failure(http.post(`/store/payment-desk/orders/${placed.id}/close`, {}, { headers: stranger.headers }))
      expect(notMine).toEqual({ status: 404, data: { type: "not_found", message: `Order with id: ${placed.id} was not found` } })
      const anonymous = await failure(
        http.post(`/store/payment-desk/orders/${placed.id}/close`, {}, { headers: { "x-publishable-api-key": store.publishable_key } })
      )
      expect(anonymous.status).toBe(401)

      const done = closed()
      const { data } = await http.post(`/store/payment-desk/orders/${placed.id}/close`, { note: "Found it cheaper" }, { headers: customer.headers })
      await done
      expect(data.order_closure).toMatchObject({ order_id: placed.id, reason: "customer_request", refunded_amount: 0, currency_code: "eur" })
      expect((await order(placed.id)).status).toBe("canceled")

      const closures = await desk().listOrderClosures({ order_id: placed.id })
      expect(closures).toHaveLength(1)
      expect(closures[0]).toMatchObject({ actor_type: "customer", actor_id: customer.customer_id, payment_method: "bank-transfer", source: "payment_desk" })
      const emails = await notificationsTo("closer@example.com")
      expect(emails).toHaveLength(1)
      expect(emails[0]).toMatchObject({ channel: "email", template: "payment-desk-order-closed" })
      expect(emails[0].data).toMatchObject({ reason: "customer_request", refunded_amount: 0, payment_method: "bank-transfer" })
      expect(await counters()).toMatchObject({ closed: 1, "closed_by.customer": 1, "closed_reason.customer_request": 1, "closed_method.bank-transfer": 1 })
      expect(await counters(`customer:${customer.customer_id}`)).toEqual({ closed: 1 })

      const again = await failure(http.post(`/store/payment-desk/orders/${placed.id}/close`, {}, { headers: customer.headers }))
      // The customer reads the order's number, not its id.
      const number = (await http.get(`/admin/orders/${placed.id}?fields=display_id`, admin)).data.order.display_id
      expect(again).toEqual({ status: 400, data: { type: "not_allowed", message: `Order #${number} is already closed` } })
    })

    it("refunds a paid order in full before the merchant closes it", async () => {
      const { order_id } = await bankOrder("paid@example.com")
      await http.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: 210, method: "bank-transfer" }, admin)
      const done = closed()
      const { data } = await http.post(`/admin/payment-desk/orders/${order_id}/close`, { reason: "out_of_stock", note: "Lamp discontinued" }, admin)
      await done
      expect(data.order_closure).toMatchObject({ reason: "out_of_stock", actor_type: "user", refunded_amount: 210 })
      expect(data.summary).toMatchObject({ status: "canceled", paid_total: 210, refunded_total: 210, refundable_amount: 0, awaiting_payout_total: 210 })
      expect(data.summary.refunds).toHaveLength(1)
      expect(data.summary.refunds[0]).toMatchObject({ status: "awaiting_payout", amount: 210 })
      expect(data.summary.audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["refund_requested", "order_closed"]))
      const emails = await notificationsTo("paid@example.com")
      expect(emails).toHaveLength(1)
      expect(emails[0].data).toMatchObject({ refunded_amount: 210, currency_code: "eur", reason: "out_of_stock" })
      expect(await counters()).toMatchObject({ "closed_by.user": 1, "closed_reason.out_of_stock": 1 })
    })

    it("refunds only what is left of a partly refunded order", async () => {
      const { order_id } = await bankOrder("partly@example.com")
      await http.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: 210, method: "bank-transfer" }, admin)
      await http.post(`/admin/payment-desk/orders/${order_id}/refunds`, { amount: 50 }, admin)
      const done = closed()
      const { data } = await http.post(`/admin/payment-desk/orders/${order_id}/close`, { reason: "other" }, admin)
      await done
      expect(data.order_closure.refunded_amount).toBe(160)
      expect(data.summary).toMatchObject({ paid_total: 210, refunded_total: 210, refundable_amount: 0 })
      expect(data.summary.refunds.map((r: { amount: number }) => r.amount).sort()).toEqual([160, 50])
    })

    it("records Medusa's own Cancel order as a closure, once", async () => {
      const { order_id } = await bankOrder("core@example.com")
      const done = closed()
      await http.post(`/admin/orders/${order_id}/cancel`, {}, admin)
      await done
      const closures = await desk().listOrderClosures({ order_id })
      expect(closures).toHaveLength(1)
      expect(closures[0]).toMatchObject({ source: "core_cancel", actor_type: "user", reason: "other" })
      expect(await notificationsTo("core@example.com")).toHaveLength(1)
      const refused = await failure(http.post(`/admin/payment-desk/orders/${order_id}/close`, { reason: "other" }, admin))
      const number = (await http.get(`/admin/orders/${order_id}?fields=display_id`, admin)).data.order.display_id
      expect(refused.data.message).toBe(`Order #${number} is already closed`)
    })

    it("does each side effect once when the event comes twice", async () => {
      const { order_id } = await bankOrder("twice@example.com")
      const done = closed()
      const { data } = await http.post(`/admin/payment-desk/orders/${order_id}/close`, { reason: "fraud_suspected" }, admin)
      await done
      const before = { counters: await counters(), emails: (await notificationsTo("twice@example.com")).length, feed: (await feed()).length }
      await processOrderClosureWorkflow(getContainer()).run({ input: { order_closure_id: data.order_closure.id } })
      expect({ counters: await counters(), emails: (await notificationsTo("twice@example.com")).length, feed: (await feed()).length }).toEqual(before)
      expect(before.counters["closed_reason.fraud_suspected"]).toBe(1)
    })

    it("refuses to close a fulfilled order and bad input, changing nothing", async () => {
      const { order_id } = await bankOrder("fulfilled@example.com")
      const { data } = await http.get(`/admin/orders/${order_id}?fields=items.id`, admin)
      const created = await http.post(
        `/admin/orders/${order_id}/fulfillments`,
        { items: data.order.items.map((i: { id: string }) => ({ id: i.id, quantity: 2 })) },
        admin
      )
      expect(created.status).toBe(200)
      const refused = await failure(http.post(`/admin/payment-desk/orders/${order_id}/close`, { reason: "other" }, admin))
      expect(refused).toEqual({
        status: 400,
        // Medusa's own cancel rules decide, before any money moves.
        data: { type: "not_allowed", message: "All fulfillments must be canceled before canceling an order" },
      })
      const bad = await failure(http.post(`/admin/payment-desk/orders/${order_id}/close`, { reason: "bored" }, admin))
      expect(bad.status).toBe(400)
      expect(bad.data.message).toContain("reason")
      expect((await order(order_id)).status).not.toBe("canceled")
      expect(await desk().listOrderClosures({ order_id })).toHaveLength(0)
    })

    it("closes exactly the expired unpaid orders, once, even with two jobs at once", async () => {
      const orders = getContainer().resolve(Modules.ORDER)
      const backdate = (orderId: string, hours: number) =>
        orders.updateOrders(orderId, { created_at: new Date(Date.now() - hours * 3_600_000) } as never)
      const expired: string[] = []
      for (let i = 0; i < 6; i++) {
        const { order_id } = await bankOrder(`late-${i}@example.com`, 1)
        await backdate(order_id, 49 + i)
        expired.push(order_id)
      }
      const fresh = await bankOrder("fresh@example.com", 1)
      const cod = await placeOrder(getContainer(), store, { provider_id: "pp_manual_cash-on-delivery", email: "cod@example.com", items: [{ variant_id: store.variant_ids[0], quantity: 1 }] })
      await backdate(cod.order_id, 200)
      const paid = await bankOrder("paid-late@example.com", 1)
      await http.post(`/admin/payment-desk/orders/${paid.order_id}/payments`, { amount: 110, method: "bank-transfer" }, admin)
      await backdate(paid.order_id, 100)
      const partly = await bankOrder("partly-late@example.com", 1)
      await http.post(`/admin/payment-desk/orders/${partly.order_id}/payments`, { amount: 10, method: "bank-transfer" }, admin)
      await backdate(partly.order_id, 100)

      const events = TestEventUtils.waitSubscribersExecution("payment_desk.order_closed", getContainer().resolve(Modules.EVENT_BUS), { timeout: 60_000 })
      await Promise.all([closeUnpaidOrdersJob(getContainer()), closeUnpaidOrdersJob(getContainer())])
      await closeUnpaidOrdersJob(getContainer())
      await events

      for (const id of expired) {
        expect((await order(id)).status).toBe("canceled")
        const rows = await desk().listOrderClosures({ order_id: id })
        expect(rows).toHaveLength(1)
        expect(rows[0]).toMatchObject({ actor_type: "system", reason: "payment_timeout" })
      }
      for (const id of [fresh.order_id, cod.order_id, paid.order_id, partly.order_id]) {
        expect((await order(id)).status).toBe("pending")
        expect(await desk().listOrderClosures({ order_id: id })).toHaveLength(0)
      }
      const flags = await desk().listAuditEntries({ order_id: partly.order_id, action: "payment_overdue" })
      expect(flags).toHaveLength(1)
      expect(await desk().listOrderClosures({})).toHaveLength(6)
      // Counters settle once every subscriber ran.
      await new Promise((resolve) => setTimeout(resolve, 1000))
      expect(await counters()).toMatchObject({ payment_timeouts: 6, "closed_by.system": 6 })
      expect(await counters(`sales_channel:${store.sales_channel_id}`)).toEqual({ payment_timeouts: 6 })
    })

    it("a worker's batch closes its overdue orders; run again after a crash between Medusa's cancel and the closure, it finishes that close once", async () => {
      const container = getContainer()
      const options = desk().getOptions().auto_close
      const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
      const orders = container.resolve(Modules.ORDER)
      const placed = [await bankOrder("batch-0@example.com", 1), await bankOrder("batch-1@example.com", 1), await bankOrder("batch-2@example.com", 1)]
      for (const { order_id } of placed) {
        await orders.updateOrders(order_id, { created_at: new Date(Date.now() - 72 * 3_600_000) } as never)
      }
      const [interrupted, open, paidMeanwhile] = placed
      // A close stopped after Medusa's cancel (no event, no closure): what a worker killed there leaves.
      await orders.cancel(interrupted.order_id)
      await container.resolve(Modules.PAYMENT).cancelPayment(interrupted.payment_id)
      await http.post(`/admin/payment-desk/orders/${paidMeanwhile.order_id}/payments`, { amount: 110, method: "bank-transfer" }, admin)

      const ids = placed.map((p) => p.order_id)
      const done = TestEventUtils.waitSubscribersExecution("payment_desk.order_closed", container.resolve(Modules.EVENT_BUS), { timeout: 60_000 })
      const first = await closeOverdueOrderBatch(container as never, ids, options, logger)
      await done
      expect(first).toMatchObject({ closed: 2, skipped: 1, failed: 0 })
      for (const id of [interrupted.order_id, open.order_id]) {
        const rows = await desk().listOrderClosures({ order_id: id })
        expect(rows.map((row: { reason: string; actor_type: string; actor_id: string; source: string }) => [row.reason, row.actor_type, row.actor_id, row.source])).toEqual([
          ["payment_timeout", "system", "close-unpaid-orders", "payment_desk"],
        ])
      }
      expect(await desk().listOrderClosures({ order_id: paidMeanwhile.order_id })).toHaveLength(0)
      // The same batch again (a redelivery): nothing more.
      expect(await closeOverdueOrderBatch(container as never, ids, options, logger)).toMatchObject({ closed: 0, skipped: 3 })
      await new Promise((resolve) => setTimeout(resolve, 1000))
      expect(await counters()).toMatchObject({ payment_timeouts: 2 })
      expect(await desk().listOrderClosures({})).toHaveLength(2)
    })

    // Defect 9 of "Money at the seams": after a plugin close, Medusa's own order
    // page must read as Medusa's own cancel leaves a twin order with the same
    // receipts. Each case sets up two identical orders through the same routes
    // (receipts recorded through the plugin on one, captured through Medusa's
    // `POST /admin/payments/:id/capture` on the other), checks that they read the
    // same, closes the first through the plugin and cancels the twin with
    // `POST /admin/orders/:id/cancel` (whose own refund runs where it must), and
    // compares what Medusa's admin reads of both, field by field.
    describe("defect 9: after a close, Medusa's order reads as Medusa's own cancel leaves a twin", () => {
      const ORDER_FIELDS = [
        "id",
        "status",
        "payment_status",
        "total",
        "summary",
        "*credit_lines",
        "*payment_collections",
        "*payment_collections.payments",
        "*payment_collections.payments.captures",
        "*payment_collections.payments.refunds",
      ].join(",")
      const num = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value) * 100) / 100)
      const byTime = (a: { created_at: string }, b: { created_at: string }) => String(a.created_at).localeCompare(String(b.created_at))

      /**
       * What Medusa's admin reads of an order. Left out, because they differ
       * between any two orders and no amount or status depends on them: ids,
       * timestamps (kept as "is it set" for `captured_at`, `canceled_at` and
       * `completed_at`, which the admin's badges and its "Capture payment"
       * button key on: order-payment-section.tsx shows the button when both
       * `captured_at` and `canceled_at` are null), the provider's private
       * `data`, and who/why texts (`note`, `created_by`, `reference`: the
       * plugin records its close reason, Medusa's cancel none). Everything else
       * is kept: order status, payment status, total, every summary total, each
       * credit line's amount, each collection's status and amounts, each
       * payment's amount, provider, captured/canceled state, captures, refunds.
       */
      async function medusaView(orderId: string) {
        const { data } = await http.get(`/admin/orders/${orderId}?fields=${ORDER_FIELDS}`, admin)
        const order = data.order
        const summary = Object.fromEntries(
          Object.entries(order.summary ?? {})
            .filter(([key]) => !key.startsWith("raw_"))
            .map(([key, value]) => [key, num(value)])
        )
        const collections = [...(order.payment_collections ?? [])].sort(byTime).map((c: any) => ({
          status: c.status,
          currency_code: c.currency_code,
          amount: num(c.amount),
          authorized_amount: num(c.authorized_amount),
          captured_amount: num(c.captured_amount),
          refunded_amount: num(c.refunded_amount),
          completed: !!c.completed_at,
          payments: [...(c.payments ?? [])].sort(byTime).map((p: any) => ({
            provider_id: p.provider_id,
            amount: num(p.amount),
            captured: !!p.captured_at,
            canceled: !!p.canceled_at,
            offers_capture: p.captured_at === null && p.canceled_at === null,
            captures: (p.captures ?? []).map((x: any) => num(x.amount)).sort(),
            refunds: (p.refunds ?? []).map((x: any) => num(x.amount)).sort(),
          })),
        }))
        return {
          status: order.status,
          payment_status: order.payment_status,
          total: num(order.total),
          summary,
          credit_lines: (order.credit_lines ?? []).map((l: any) => num(l.amount)).sort(),
          payment_collections: collections,
        }
      }
      type View = Awaited<ReturnType<typeof medusaView>>

      /**
       * The view without what records only the order's last change: Medusa
       * keeps a summary per order version, and `original_order_total` (the
       * total before the last change) and `credit_line_total` (that change's
       * credit lines) describe the last change alone. Medusa's cancel books
       * its refunds' credit line as its last change; the plugin's ledger books
       * one per refund as each settles, before the cancel, whose own credit
       * line is then 0 (it refunded nothing). The admin shows neither field
       * nor a zero line: it shows the credit lines' sum and pending_difference,
       * both kept. The test below marked `failing` holds them to Medusa's too.
       */
      const pageView = (view: View) => {
        const { original_order_total: _original, credit_line_total: _lastChange, ...summary } = view.summary
        return {
          ...view,
          summary,
          credit_lines: undefined,
          credit_total: view.credit_lines.reduce((sum: number, amount) => sum + (amount ?? 0), 0),
        }
      }
      /** The view with the payments' canceled state (and so the capture button) left out. */
      const withoutPaymentCancel = (view: View): View => ({
        ...view,
        payment_collections: view.payment_collections.map((c) => ({
          ...c,
          payments: c.payments.map((p) => ({ ...p, canceled: false, offers_capture: false })),
        })),
      })
      /** Payments Medusa's admin shows a live "Capture payment" button for although something was captured and is not all. */
      const captureOffered = (view: View) =>
        view.payment_collections.flatMap((c) => c.payments).filter((p) => p.offers_capture).map((p) => ({ amount: p.amount, captured: p.captures }))

      const paymentIds = async (orderId: string) =>
        (
          await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({
            entity: "order",
            fields: ["payment_collections.created_at", "payment_collections.payments.id", "payment_collections.payments.created_at"],
            filters: { id: orderId },
          })
        ).data[0].payment_collections
          .sort(byTime)
          .flatMap((c: any) => [...c.payments].sort(byTime).map((p: any) => p.id as string)) as string[]

      /** What clicking each "Capture payment" answers: the admin sends the payment's full amount. */
      async function captureClicks(orderId: string, view: View) {
        const ids = await paymentIds(orderId)
        const payments = view.payment_collections.flatMap((c) => c.payments)
        const clicks = []
        for (const [i, payment] of payments.entries()) {
          if (!payment.offers_capture) continue
          const clicked = await answer(http.post(`/admin/payments/${ids[i]}/capture`, { amount: payment.amount }, admin))
          clicks.push([clicked.status, String(clicked.data?.message ?? "").replace(/pay_\w+/g, "pay_…")])
        }
        return clicks
      }

      /** Medusa's order edit: add one more of the first variant, request, confirm. */
      async function editOrder(orderId: string) {
        await http.post("/admin/order-edits", { order_id: orderId }, admin)
        await http.post(`/admin/order-edits/${orderId}/items`, { items: [{ variant_id: store.variant_ids[0], quantity: 1 }] }, admin)
        await http.post(`/admin/order-edits/${orderId}/request`, {}, admin)
        const confirmed = await answer(http.post(`/admin/order-edits/${orderId}/confirm`, {}, admin))
        expect({ edit: confirmed.status }).toEqual({ edit: 200 })
      }

      type Receive = (amount: number) => Promise<void>
      type Setup = (orderId: string, receive: Receive) => Promise<void>

      /**
       * Two identical orders; `setup` runs on both (receipts through the plugin
       * on one, Medusa's capture route on the twin); then `close` closes the
       * first and Medusa's cancel cancels the twin. Answers Medusa's view of
       * both and what a click on each offered "Capture payment" answers.
       */
      async function twins(makeOrder: () => Promise<{ order_id: string }>, setup: Setup, close: (orderId: string) => Promise<void>) {
        const plugin = (await makeOrder()).order_id
        const core = (await makeOrder()).order_id
        await setup(plugin, async (amount) => {
          const paid = await answer(http.post(`/admin/payment-desk/orders/${plugin}/payments`, { amount, method: "bank-transfer" }, admin))
          expect({ recorded: paid.status, message: paid.data?.message }).toEqual({ recorded: 200, message: undefined })
        })
        await setup(core, async (amount) => {
          const [first] = await paymentIds(core)
          const captured = await answer(http.post(`/admin/payments/${first}/capture`, { amount }, admin))
          expect({ captured: captured.status, message: captured.data?.message }).toEqual({ captured: 200, message: undefined })
        })
        // The twins read the same before the close: a difference after it is the close's.
        expect({ before: await medusaView(plugin) }).toEqual({ before: await medusaView(core) })

        const done = closed()
        await close(plugin)
        await done
        const canceled = await answer(http.post(`/admin/orders/${core}/cancel`, {}, admin))
        expect({ canceled: canceled.status, message: canceled.data?.message }).toEqual({ canceled: 200, message: undefined })
        const views = { plugin: await medusaView(plugin), core: await medusaView(core) }
        return { ...views, clicks: { plugin: await captureClicks(plugin, views.plugin), core: await captureClicks(core, views.core) } }
      }

      const adminClose = async (orderId: string) => {
        const closedAnswer = await answer(http.post(`/admin/payment-desk/orders/${orderId}/close`, { reason: "other" }, admin))
        expect({ closed: closedAnswer.status, message: closedAnswer.data?.message }).toEqual({ closed: 200, message: undefined })
      }
      /** The auto-close job's run, with partly paid orders closed too (`auto_close.close_partially_paid`). */
      const jobClose = async (orderId: string) => {
        await getContainer()
          .resolve(Modules.ORDER)
          .updateOrders(orderId, { created_at: new Date(Date.now() - 100 * 3_600_000) } as never)
        const options = { ...desk().getOptions().auto_close, close_partially_paid: true }
        const report = await sweepOverdueOrders(getContainer(), options, getContainer().resolve(ContainerRegistrationKeys.LOGGER))
        expect({ closed: report.closed, failed: report.failed }).toEqual({ closed: 1, failed: 0 })
      }
      /** €110: one item of €100 and €10 shipping, bank transfer. */
      const order110 = () => bankOrder(`twin-${Date.now()}-${Math.random()}@example.com`, 1)
      const unpaid: Setup = async () => {}
      const partly: Setup = async (_orderId, receive) => receive(50)
      /** The state Medusa 2.21's order edit leaves when the provider lets it cancel a partly captured payment. */
      const editedPartly: Setup = async (orderId, receive) => {
        await receive(50)
        await editOrder(orderId) // +€100: €210, a new collection for the €160 still due
        const [first] = await paymentIds(orderId)
        await getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION).raw(`update payment set canceled_at = now() where id = ?`, [first])
      }

      it("(a) an unpaid order, closed by the admin, by its customer and by the auto-close job: exactly as Medusa's cancel", async () => {
        const customer = await customerHeaders(http, store, `twin-customer-${Date.now()}@example.com`)
        const customerOrder = async () => ({ order_id: (await checkout(http, store, customer, "pp_manual_bank-transfer")).id as string })
        const customerClose = async (orderId: string) => {
          const closedAnswer = await answer(http.post(`/store/payment-desk/orders/${orderId}/close`, {}, { headers: customer.headers }))
          expect({ closed: closedAnswer.status, message: closedAnswer.data?.message }).toEqual({ closed: 200, message: undefined })
        }
        for (const [makeOrder, close] of [[order110, adminClose], [customerOrder, customerClose], [order110, jobClose]] as const) {
          const { plugin, core, clicks } = await twins(makeOrder, unpaid, close)
          // Every field, the last change's too.
          expect(plugin).toEqual(core)
          expect(clicks.plugin).toEqual(clicks.core)
          // Medusa's cancel leaves an unpaid order's total outstanding (€110) and offers no capture.
          expect({ pending_difference: plugin.summary.pending_difference, capture_offered: captureOffered(plugin) }).toEqual({
            pending_difference: 110,
            capture_offered: [],
          })
        }
      })

      it("(b) a partly paid manual order (€50 of €110), closed by the admin and by the auto-close job: Medusa's page reads as after Medusa's cancel", async () => {
        for (const close of [adminClose, jobClose]) {
          const { plugin, core, clicks } = await twins(order110, partly, close)
          // The one difference: the close cancels the partly captured manual
          // payment it refunded in full, so no "Capture payment" is left on it.
          expect(pageView(withoutPaymentCancel(plugin))).toEqual(pageView(withoutPaymentCancel(core)))
          expect({ plugin: captureOffered(plugin), clicks: clicks.plugin }).toEqual({ plugin: [], clicks: [] })
          expect(plugin.payment_collections[0].payments[0]).toMatchObject({ canceled: true, captures: [50], refunds: [50] })
          // Medusa's own cancel leaves €60 outstanding and the partly captured payment offering a capture,
          // which the plugin refuses on a canceled order (without the plugin, Medusa's capture fails
          // here too: "You cannot capture more than the authorized amount substracted by what is
          // already captured.").
          expect({ pending_difference: core.summary.pending_difference, payment_status: core.payment_status, clicks: clicks.core }).toEqual({
            pending_difference: 60,
            payment_status: "refunded",
            clicks: [[400, expect.stringMatching(/^Order #\d+ is canceled: it takes no more money/)]],
          })
        }
      })

      it("(c) a fully paid order, closed by the admin: Medusa's page reads as after Medusa's cancel", async () => {
        const { plugin, core, clicks } = await twins(order110, async (_orderId, receive) => receive(110), adminClose)
        expect(pageView(plugin)).toEqual(pageView(core))
        expect(clicks).toEqual({ plugin: [], core: [] })
        expect(plugin.summary.pending_difference).toBe(0)
      })

      it("(d) after an order edit, with a partly captured canceled payment, closed by the admin: Medusa's page reads as after Medusa's cancel", async () => {
        const { plugin, core, clicks } = await twins(order110, editedPartly, adminClose)
        expect(pageView(plugin)).toEqual(pageView(core))
        expect(clicks).toEqual({ plugin: [], core: [] })
      })

      // Known, not fixed (see docs/refunds-and-closing.md, "What Medusa's
      // order page shows after a close", for why). `failing`: these turn red
      // once fixed. It also compares the payments' canceled state, where the
      // plugin's close differs on purpose (cancel-settled-payments), so (b)
      // keeps it failing even once the credit lines match.
      it.failing("(b, c, d) the last order change reads as Medusa's too: summary.credit_line_total, original_order_total, no zero credit line", async () => {
        for (const setup of [partly, async (_orderId: string, receive: Receive) => receive(110), editedPartly]) {
          const { plugin, core } = await twins(order110, setup, adminClose)
          expect(plugin).toEqual(core)
        }
      })
    })

    // The desk's lists, counters and the customer's close policy (formerly
    // desk-lists.spec.ts: one Medusa app for both saves a boot per CI run).
    describe("the desk's lists", () => {
      const backdate = (orderId: string, hours: number) =>
        getContainer()
          .resolve(Modules.ORDER)
          .updateOrders(orderId, { created_at: new Date(Date.now() - hours * 3_600_000) } as never)
      const order = (provider: string, email: string, quantity = 1) =>
        placeOrder(getContainer(), store, {
          provider_id: provider,
          email,
          items: [{ variant_id: store.variant_ids[0], quantity }],
        })
      const displayId = async (orderId: string) =>
        (await getContainer().resolve(Modules.ORDER).retrieveOrder(orderId, { select: ["display_id"] })).display_id as number
      const closed = () =>
        TestEventUtils.waitSubscribersExecution("payment_desk.order_closed", getContainer().resolve(Modules.EVENT_BUS))
      const awaiting = async (query = "") => (await http.get(`/admin/payment-desk/awaiting-payment${query}`, admin)).data

      it("lists orders awaiting a manual payment, overdue first, with figures people read, filters and bad input", async () => {
        const customer = await customerHeaders(http, store, "waiting@example.com")
        const mine = await checkout(http, store, customer, "pp_manual_bank-transfer", [{ variant_id: store.variant_ids[0], quantity: 2 }])
        const late = await order("pp_manual_bank-transfer", "late@example.com")
        await backdate(late.order_id, 60)
        const cod = await order("pp_manual_cash-on-delivery", "cod@example.com")
        const partly = await order("pp_manual_bank-transfer", "partly@example.com")
        await http.post(`/admin/payment-desk/orders/${partly.order_id}/payments`, { amount: 30, method: "bank-transfer" }, admin)
        const paid = await order("pp_manual_bank-transfer", "paid@example.com")
        await http.post(`/admin/payment-desk/orders/${paid.order_id}/payments`, { amount: 110, method: "bank-transfer" }, admin)
        const gone = await order("pp_manual_bank-transfer", "gone@example.com")
        const done = closed()
        await http.post(`/admin/payment-desk/orders/${gone.order_id}/close`, { reason: "other" }, admin)
        await done

        const all = await awaiting()
        expect(all.count).toBe(4)
        expect({ limit: all.limit, offset: all.offset }).toEqual({ limit: 20, offset: 0 })
        const ids = all.orders.map((row: { order_id: string }) => row.order_id)
        // Overdue first, then by pay-by date; no window (cash on delivery) last.
        expect(ids[0]).toBe(late.order_id)
        expect(ids[ids.length - 1]).toBe(cod.order_id)
        expect(ids).toEqual(expect.arrayContaining([mine.id, partly.order_id]))
        expect(ids).not.toEqual(expect.arrayContaining([paid.order_id]))
        expect(ids).not.toContain(gone.order_id)

        const row = (id: string) => all.orders.find((r: { order_id: string }) => r.order_id === id)
        const mineDisplay = await displayId(mine.id)
        expect(row(mine.id)).toMatchObject({
          display_id: mineDisplay,
          customer: { id: customer.customer_id, email: "waiting@example.com", name: "Test Customer" },
          method: "bank-transfer",
          method_name: "Bank transfer",
          amount_due: 210,
          total: 210,
          currency_code: "eur",
          overdue: false,
          reference: creditorReference(mineDisplay),
        })
        expect(new Date(row(mine.id).pay_by).getTime() - new Date(row(mine.id).placed_at).getTime()).toBe(48 * 3_600_000)
        expect(row(late.order_id)).toMatchObject({ overdue: true, amount_due: 110, customer: { email: "late@example.com" } })
        expect(row(partly.order_id)).toMatchObject({ amount_due: 80, total: 110, overdue: false })
        expect(row(cod.order_id)).toMatchObject({ method: "cash-on-delivery", method_name: "Cash on delivery", pay_by: null, overdue: false })

        expect((await awaiting("?overdue=true")).orders.map((r: { order_id: string }) => r.order_id)).toEqual([late.order_id])
        expect((await awaiting("?overdue=false")).count).toBe(3)
        expect((await awaiting("?method=cash-on-delivery")).orders.map((r: { order_id: string }) => r.order_id)).toEqual([cod.order_id])
        expect((await awaiting(`?q=${mineDisplay}`)).orders.map((r: { order_id: string }) => r.order_id)).toEqual([mine.id])
        expect((await awaiting(`?q=${creditorReference(mineDisplay)}`)).orders.map((r: { order_id: string }) => r.order_id)).toEqual([mine.id])
        expect((await awaiting("?q=PARTLY@")).orders.map((r: { order_id: string }) => r.order_id)).toEqual([partly.order_id])
        // The start of its reference as printed ("RF74 1…"): the orders whose number begins with what follows the check digits.
        const printed = creditorReference(mineDisplay).replace(/(.{4})(?=.)/g, "$1 ")
        const partial = String(mineDisplay).length > 1 ? printed.slice(0, printed.length - 1).trim() : printed
        const found = (await awaiting(`?q=${encodeURIComponent(partial)}`)).orders.map((r: { display_id: number }) => String(r.display_id))
        expect(found).toContain(String(mineDisplay))
        expect(found.every((id: string) => id.startsWith(electronicCreditorReference(partial).slice(4)))).toBe(true)
        expect((await awaiting("?order=-amount_due")).orders.map((r: { amount_due: number }) => r.amount_due)).toEqual([210, 110, 110, 80])
        const page = await awaiting("?limit=2&offset=2")
        expect({ count: page.count, rows: page.orders.length }).toEqual({ count: 4, rows: 2 })
        expect((await awaiting("?offset=10")).count).toBe(4)

        const bad = await failure(http.get("/admin/payment-desk/awaiting-payment?overdue=maybe", admin))
        expect(bad.status).toBe(400)
        expect(bad.data.message).toContain("overdue")
        const badOrder = await failure(http.get("/admin/payment-desk/awaiting-payment?order=total", admin))
        expect(badOrder.status).toBe(400)
        expect(badOrder.data.message).toContain("order")
      })

      it("keeps the awaiting list through Medusa's own writes (mark as paid, cancel, email change), pages it by keyset and rebuilds it", async () => {
        const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const ids = async (query = "") => (await awaiting(query)).orders.map((row: { order_id: string }) => row.order_id)
        const modelRows = async () =>
          (await pg.raw(`select payment_id, order_id, display_id, email_key, provider_id, pay_by, pay_by_key, placed_at from payment_desk_awaiting_payment order by payment_id`)).rows
        const paid = await order("pp_manual_bank-transfer", "mark-paid@example.com")
        const canceled = await order("pp_manual_bank-transfer", "canceled@example.com")
        const renamed = await order("pp_manual_bank-transfer", "Old.Address@example.com")
        const kept = await order("pp_manual_cash-on-delivery", "kept@example.com")
        expect(await ids()).toEqual(expect.arrayContaining([paid.order_id, canceled.order_id, renamed.order_id, kept.order_id]))

        // Medusa's own buttons: "Mark as paid" (its capture route) and "Cancel order", and its order update.
        expect((await http.post(`/admin/payments/${paid.payment_id}/capture`, {}, admin)).status).toBe(200)
        expect((await http.post(`/admin/orders/${canceled.order_id}/cancel`, {}, admin)).status).toBe(200)
        expect((await http.post(`/admin/orders/${renamed.order_id}`, { email: "new.address@example.com" }, admin)).status).toBe(200)
        expect(await ids()).toEqual([renamed.order_id, kept.order_id])
        expect((await modelRows()).map((row: { order_id: string }) => row.order_id).sort()).toEqual([renamed.order_id, kept.order_id].sort())
        expect(await ids("?q=NEW.addr")).toEqual([renamed.order_id])
        expect(await ids("?q=old.address")).toEqual([])
        // Backdated by 60 hours (past its 48-hour window): the pay-by date follows the order's date.
        await backdate(renamed.order_id, 60)
        expect(await ids("?overdue=true")).toEqual([renamed.order_id])

        // Keyset pages equal offset pages, in each sort an index holds; the last page is read backwards.
        for (let i = 0; i < 5; i++) await order("pp_manual_bank-transfer", `page-${i}@example.com`)
        for (const sort of ["pay_by", "-pay_by", "display_id", "-display_id"]) {
          const all = await ids(`?order=${sort}&limit=50`)
          expect(all).toHaveLength(7)
          const first = await awaiting(`?order=${sort}&limit=3`)
          const second = await awaiting(`?order=${sort}&limit=3&after=${first.cursors.last}`)
          expect(second.orders.map((row: { order_id: string }) => row.order_id)).toEqual(all.slice(3, 6))
          const last = await awaiting(`?order=${sort}&limit=3&page=last`)
          expect(last.orders.map((row: { order_id: string }) => row.order_id)).toEqual(all.slice(4))
          expect(await ids(`?order=${sort}&limit=3&before=${second.cursors.first}`)).toEqual(all.slice(0, 3))
          expect(await ids(`?order=${sort}&limit=3&after=${last.cursors.last}`)).toEqual([])
          expect(last.count).toBe(7)
        }
        const first = await awaiting("?limit=3")
        for (const [query, field] of [
          ["after=not-a-cursor!", "after"],
          [`after=${Buffer.from("pay_by|yesterday|1|pay_x").toString("base64url")}`, "after"],
          [`after=${first.cursors.last}&order=display_id`, "after"],
          [`after=${first.cursors.last}&page=last`, "after"],
          ["page=last&order=-amount_due", "page"],
          ["page=last&offset=3", "offset"],
        ]) {
          const bad = await failure(http.get(`/admin/payment-desk/awaiting-payment?${query}`, admin))
          expect(bad.status).toBe(400)
          expect(bad.data.message).toContain(`${field}:`)
        }

        // The read model equals a rebuild from Medusa's tables; a boot that finds a trigger missing reinstalls and rebuilds it.
        const before = await modelRows()
        await pg.raw(`drop trigger payment_desk_awaiting_order on "order"`)
        await pg.raw(`delete from payment_desk_awaiting_payment`)
        expect(await ensureAwaitingPaymentReadModel(pg)).toEqual({ state: "installed", rows: 7 })
        expect(await ensureAwaitingPaymentReadModel(pg)).toEqual({ state: "current" })
        expect(await modelRows()).toEqual(before)
      })

      it("reads the awaiting list of 12,000 open orders through indexes: first page, filters, searches and the last page", async () => {
        const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const template = await order("pp_manual_bank-transfer", "template@example.com")
        const paidTemplate = await order("pp_manual_bank-transfer", "paid-template@example.com")
        await http.post(`/admin/payment-desk/orders/${paidTemplate.order_id}/payments`, { amount: 110, method: "bank-transfer" }, admin)
        // 12,000 copies of an open order and 12,000 of a paid one, as Medusa stores them (order, collection, session,
        // payment, link), one statement per table; the link's trigger fills the read model with the open ones.
        const copies = (source: string, prefix: string, minutes: number) => `
          with s as (select i, '${prefix}' || i as n, now() - (i * ${minutes}) * interval '1 minute' as created_at from generate_series(1, 12000) i)
          select s.*, o as o, pc as pc, ps as ps, p as p from s
            cross join "order" o
            join order_payment_collection opc on opc.order_id = o.id
            join payment_collection pc on pc.id = opc.payment_collection_id
            join payment p on p.payment_collection_id = pc.id
            join payment_session ps on ps.id = p.payment_session_id
           where o.id = '${source}'`
        for (const [source, prefix, minutes] of [[template.order_id, "bulkopen", 3], [paidTemplate.order_id, "bulkpaid", 2]] as const) {
          await pg.raw(`create temporary table bulk_copy as ${copies(source, prefix, minutes)}`)
          await pg.raw(`insert into "order" select r.* from bulk_copy b cross join lateral jsonb_populate_record(null::"order", to_jsonb(b.o) ||
            jsonb_build_object('id', 'order_' || b.n, 'display_id', nextval('order_display_id_seq'), 'email', b.n || '@example.net', 'created_at', b.created_at)) r`)
          await pg.raw(`insert into payment_collection select r.* from bulk_copy b cross join lateral jsonb_populate_record(null::payment_collection, to_jsonb(b.pc) ||
            jsonb_build_object('id', 'pay_col_' || b.n)) r`)
          await pg.raw(`insert into payment_session select r.* from bulk_copy b cross join lateral jsonb_populate_record(null::payment_session, to_jsonb(b.ps) ||
            jsonb_build_object('id', 'payses_' || b.n, 'payment_collection_id', 'pay_col_' || b.n)) r`)
          await pg.raw(`insert into payment select r.* from bulk_copy b cross join lateral jsonb_populate_record(null::payment, to_jsonb(b.p) ||
            jsonb_build_object('id', 'pay_' || b.n, 'payment_collection_id', 'pay_col_' || b.n, 'payment_session_id', 'payses_' || b.n)) r`)
          await pg.raw(`insert into order_payment_collection (id, order_id, payment_collection_id) select 'ordpay_' || b.n, 'order_' || b.n, 'pay_col_' || b.n from bulk_copy b`)
          await pg.raw(`drop table bulk_copy`)
        }
        await pg.raw(`analyze "order"; analyze payment; analyze payment_collection; analyze payment_session; analyze order_payment_collection; analyze payment_desk_awaiting_payment`)
        const big = await tablesOver(pg, 10_000)
        expect([...big]).toEqual(expect.arrayContaining(["order", "payment", "order_payment_collection", "payment_desk_awaiting_payment"]))

        const all = await awaiting("?limit=1")
        expect(all.count_estimated).toBe(true)
        expect(all.count).toBeGreaterThan(10_000)
        // Placed 3 minutes apart over 25 days with a 48-hour window: all but the newest ~960 are overdue.
        const overdue = await awaiting("?limit=1&overdue=true")
        expect(overdue.count).toBeGreaterThan(10_000)
        const onTime = await awaiting("?limit=1&overdue=false")
        expect(onTime).toMatchObject({ count_estimated: false })
        expect(onTime.count).toBeGreaterThan(900)
        expect(onTime.count).toBeLessThan(1_000)
        const last = await awaiting("?limit=20&page=last")
        const lastByOffset = await awaiting("?limit=20&order=-pay_by")
        expect(last.orders.map((row: { order_id: string }) => row.order_id)).toEqual(
          lastByOffset.orders.map((row: { order_id: string }) => row.order_id).reverse()
        )
        const found = await awaiting("?q=bulkopen1199")
        // The email the order was placed with, by its start: bulkopen1199@… and bulkopen11990@ … bulkopen11999@….
        expect(found.orders.map((row: { order_id: string }) => row.order_id).sort()).toEqual(
          ["order_bulkopen1199", ...Array.from({ length: 10 }, (_, i) => `order_bulkopen1199${i}`)].sort()
        )
        const someone = last.orders[0]
        expect((await awaiting(`?q=${someone.display_id}`)).orders.map((row: { order_id: string }) => row.order_id)).toEqual([someone.order_id])

        const pages = [
          "?limit=20",
          "?limit=20&overdue=true",
          "?limit=20&overdue=false",
          "?limit=20&method=bank-transfer",
          "?limit=20&q=bulkopen77",
          `?limit=20&q=${someone.display_id}`,
          `?limit=20&q=${encodeURIComponent(someone.reference.slice(0, 6))}`,
          "?limit=20&page=last",
          `?limit=20&after=${all.cursors.last}`,
          "?limit=20&order=-display_id",
        ]
        const statements = await capturedSelects(pg, async () => {
          for (const query of pages) {
            const { status } = await http.get(`/admin/payment-desk/awaiting-payment${query}`, admin)
            expect(status).toBe(200)
          }
        })
        const { scans, explained } = await seqScansOfBigTables(pg, statements, /payment_desk_awaiting_payment/, big)
        expect(explained).toBeGreaterThanOrEqual(pages.length)
        expect(scans).toEqual([])
      })

      it("lists closures with order numbers, customers, actors and labels; counters give a daily series and only customers' own closes", async () => {
        const customer = await customerHeaders(http, store, "closer@example.com")
        const own = await checkout(http, store, customer, "pp_manual_bank-transfer")
        let done = closed()
        await http.post(`/store/payment-desk/orders/${own.id}/close`, { note: "Changed my mind" }, { headers: customer.headers })
        await done
        // The merchant closes another order of the same customer: it must not count against them.
        const merchants = await checkout(http, store, customer, "pp_manual_bank-transfer")
        done = closed()
        await http.post(`/admin/payment-desk/orders/${merchants.id}/close`, { reason: "out_of_stock" }, admin)
        await done
        const paid = await order("pp_manual_bank-transfer", "paid-close@example.com")
        await http.post(`/admin/payment-desk/orders/${paid.order_id}/payments`, { amount: 110, method: "bank-transfer" }, admin)
        done = closed()
        await http.post(`/admin/payment-desk/orders/${paid.order_id}/close`, { reason: "fraud_suspected", note: "Stolen card" }, admin)
        await done

        const { data } = await http.get("/admin/payment-desk/closures", admin)
        expect(data).toMatchObject({ count: 3, limit: 20, offset: 0 })
        expect(data.closures.map((c: { order_id: string }) => c.order_id)).toEqual([paid.order_id, merchants.id, own.id])
        expect(data.closures[0]).toMatchObject({
          order_display_id: await displayId(paid.order_id),
          customer: { email: "paid-close@example.com" },
          actor: { type: "user", name: "Demo Admin" },
          reason: "fraud_suspected",
          reason_label: CLOSE_REASON_LABELS.fraud_suspected,
          note: "Stolen card",
          refunded_amount: 110,
          currency_code: "eur",
          payment_method: "bank-transfer",
          method_name: "Bank transfer",
        })
        expect(data.closures[2]).toMatchObject({
          customer: { id: customer.customer_id, email: "closer@example.com", name: "Test Customer" },
          actor: { type: "customer", id: customer.customer_id, name: "Test Customer" },
          reason_label: "Customer request",
        })
        const filtered = async (query: string) =>
          (await http.get(`/admin/payment-desk/closures${query}`, admin)).data.closures.map((c: { order_id: string }) => c.order_id)
        expect(await filtered("?actor_type=customer")).toEqual([own.id])
        expect(await filtered("?reason=out_of_stock")).toEqual([merchants.id])
        expect(await filtered("?q=closer@")).toEqual([merchants.id, own.id])
        expect(await filtered(`?q=${await displayId(paid.order_id)}`)).toEqual([paid.order_id])
        expect(await filtered("?order=created_at")).toEqual([own.id, merchants.id, paid.order_id])
        expect(await filtered(`?created_at_from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([])
        const bad = await failure(http.get("/admin/payment-desk/closures?actor_type=robot", admin))
        expect(bad.status).toBe(400)
        expect(bad.data.message).toContain("actor_type")

        const counters = (await http.get("/admin/payment-desk/counters?days=7", admin)).data
        expect(counters.counters.length).toBeGreaterThan(0)
        expect(counters.series).toHaveLength(7)
        const today = counters.series[6]
        expect(today.day).toBe(new Date().toISOString().slice(0, 10))
        expect(today).toEqual({
          day: today.day,
          by_reason: { customer_request: 1, out_of_stock: 1, fraud_suspected: 1 },
          by_actor: { customer: 1, user: 2, system: 0 },
          by_method: { "bank-transfer": 3 },
          payment_timeouts: 0,
          refund_failures: 0,
        })
        expect(counters.series[0].by_actor).toEqual({ customer: 0, user: 0, system: 0 })
        expect(counters.top_customers).toEqual([
          { customer_id: customer.customer_id, email: "closer@example.com", name: "Test Customer", closes: 1 },
        ])
        const perCustomer = (await http.get(`/admin/payment-desk/counters?scope=customer:${customer.customer_id}`, admin)).data.counters
        expect(perCustomer.map((c: { name: string; value: number }) => [c.name, c.value])).toEqual([["closed", 1]])
        expect((await http.get("/admin/payment-desk/counters", admin)).data.series).toHaveLength(30)
      })

      it("shows refund rows with order number, customer, provider name, reason label and requester", async () => {
        const customer = await customerHeaders(http, store, "refundee@example.com")
        const placed = await checkout(http, store, customer, "pp_manual_bank-transfer")
        await http.post(`/admin/payment-desk/orders/${placed.id}/payments`, { amount: 110, method: "bank-transfer" }, admin)
        const { data: reason } = await http.post("/admin/refund-reasons", { label: "Damaged parcel", code: "damaged" }, admin)
        await http.post(`/admin/payment-desk/orders/${placed.id}/refunds`, { amount: 20, refund_reason_id: reason.refund_reason.id }, admin)
        const done = closed()
        await http.post(`/admin/payment-desk/orders/${placed.id}/close`, { reason: "out_of_stock" }, admin)
        await done

        const { data } = await http.get(`/admin/payment-desk/refunds?order_id=${placed.id}`, admin)
        expect(data.count).toBe(2)
        const [closing, manual] = data.refund_requests
        const common = {
          order_display_id: await displayId(placed.id),
          customer: { id: customer.customer_id, email: "refundee@example.com", name: "Test Customer" },
          provider_name: "Bank transfer",
          requested_by: { type: "user", name: "Demo Admin" },
        }
        expect(manual).toMatchObject({ ...common, amount: 20, reason_label: "Damaged parcel" })
        expect(closing).toMatchObject({
          ...common,
          amount: 90,
          reason_label: null,
          note: null,
          system_note: { code: "order_closed", params: { reason: "out_of_stock" }, text: "Order closed: Out of stock" },
        })
        expect(JSON.stringify(data)).not.toContain('"provider_name":"pp_')
      })

      it("unpaid_only (the default): a customer may close an unpaid order but not a paid one, and nothing changes", async () => {
        const customer = await customerHeaders(http, store, "policy@example.com")
        const placed = await checkout(http, store, customer, "pp_manual_bank-transfer")
        await http.post(`/admin/payment-desk/orders/${placed.id}/payments`, { amount: 30, method: "bank-transfer" }, admin)
        const refused = await failure(http.post(`/store/payment-desk/orders/${placed.id}/close`, {}, { headers: customer.headers }))
        expect(refused).toEqual({
          status: 400,
          data: {
            type: "not_allowed",
            code: "payment_desk.order_paid",
            message: `Order #${(await http.get(`/admin/orders/${placed.id}?fields=display_id`, admin)).data.order.display_id} has been paid: ask the store to cancel it`,
          },
        })
        const desk = getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
        expect({
          closures: (await desk.listOrderClosures({ order_id: placed.id })).length,
          refunds: (await desk.listRefundRequests({ order_id: placed.id })).length,
          requests: (await desk.listCancellationRequests({ order_id: placed.id })).length,
          status: (await getContainer().resolve(Modules.ORDER).retrieveOrder(placed.id, { select: ["status"] })).status,
        }).toEqual({ closures: 0, refunds: 0, requests: 0, status: "pending" })

        const unpaid = await checkout(http, store, customer, "pp_manual_bank-transfer")
        const done = closed()
        const { data } = await http.post(`/store/payment-desk/orders/${unpaid.id}/close`, {}, { headers: customer.headers })
        await done
        expect(data).toMatchObject({ outcome: "closed", order_closure: { order_id: unpaid.id, refunded_amount: 0 } })
      })

      it("tells the admin which money actions they may take (fallback: the permissions option, every admin by default)", async () => {
        const placed = await order("pp_manual_bank-transfer", "can@example.com")
        const { data } = await http.get(`/admin/payment-desk/orders/${placed.order_id}`, admin)
        expect(data.can).toEqual({ record_payment: true, refund: true, close_order: true })
        expect(data.order_id).toBe(placed.order_id)
        expect(getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().store_close).toBe("unpaid_only")
      })
    })
  },
})
