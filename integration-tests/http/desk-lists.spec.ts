import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, checkout, customerHeaders, failure } from "../helpers/http"
import { PAYMENT_DESK_MODULE, PaymentDeskModuleService } from "../../src/modules/payment-desk"
import { creditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { CLOSE_REASON_LABELS } from "../../src/utils/closures/reasons"

jest.setTimeout(240_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "Desk lists spec" })
    })
    beforeEach(async () => {
      admin = await adminHeaders(getContainer(), http)
    })

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
        actor: { type: "customer", id: customer.customer_id, name: "closer@example.com" },
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
      expect(closing).toMatchObject({ ...common, amount: 90, reason_label: "Order closed: Out of stock" })
      expect(JSON.stringify(data)).not.toContain('"provider_name":"pp_')
    })

    it("unpaid_only (the default): a customer may close an unpaid order but not a paid one, and nothing changes", async () => {
      const customer = await customerHeaders(http, store, "policy@example.com")
      const placed = await checkout(http, store, customer, "pp_manual_bank-transfer")
      await http.post(`/admin/payment-desk/orders/${placed.id}/payments`, { amount: 30, method: "bank-transfer" }, admin)
      const refused = await failure(http.post(`/store/payment-desk/orders/${placed.id}/close`, {}, { headers: customer.headers }))
      expect(refused).toEqual({
        status: 400,
        data: { type: "not_allowed", code: "payment_desk.order_paid", message: `Order ${placed.id} has been paid: ask the store to cancel it` },
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
  },
})
