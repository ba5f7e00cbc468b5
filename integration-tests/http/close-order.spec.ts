import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, checkout, customerHeaders, failure } from "../helpers/http"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import closeUnpaidOrdersJob from "../../src/jobs/close-unpaid-orders"
import { processOrderClosureWorkflow } from "../../src/workflows/closures/process-order-closure"

jest.setTimeout(240_000)

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
      expect(again).toEqual({ status: 400, data: { type: "not_allowed", message: `Order ${placed.id} is already closed` } })
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
      expect(refused.data.message).toBe(`Order ${order_id} is already closed`)
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
  },
})
