import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, checkout, customerHeaders, failure } from "../helpers/http"
import { PAYMENT_DESK_MODULE, PaymentDeskModuleService } from "../../src/modules/payment-desk"

jest.setTimeout(300_000)

// The runner loads medusa-config before it applies its `env` option, so the
// plugin options for this store are set here, for this file only.
const previousOptions = process.env.PAYMENT_DESK_OPTIONS
process.env.PAYMENT_DESK_OPTIONS = JSON.stringify({ store_close: "request" })
afterAll(() => {
  if (previousOptions === undefined) {
    delete process.env.PAYMENT_DESK_OPTIONS
  } else {
    process.env.PAYMENT_DESK_OPTIONS = previousOptions
  }
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "Cancellation requests spec" })
    })
    beforeEach(async () => {
      admin = await adminHeaders(getContainer(), http)
    })

    const desk = () => getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const eventBus = () => getContainer().resolve(Modules.EVENT_BUS)
    const waitFor = (event: string) => TestEventUtils.waitSubscribersExecution(event, eventBus())
    const orderStatus = async (orderId: string) =>
      (await getContainer().resolve(Modules.ORDER).retrieveOrder(orderId, { select: ["status"] })).status
    // The cancellation emails only: customers also get instructions, receipts and "fully paid".
    const emails = async (to: string) =>
      (await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ to, channel: "email" }))
        .map((n: { template: string }) => n.template)
        .filter((template: string) => template.startsWith("payment-desk-cancellation") || template === "payment-desk-order-closed")
    async function paidOrder(email: string) {
      const customer = await customerHeaders(http, store, email)
      const placed = await checkout(http, store, customer, "pp_manual_bank-transfer")
      await http.post(`/admin/payment-desk/orders/${placed.id}/payments`, { amount: 110, method: "bank-transfer" }, admin)
      return { customer, order_id: placed.id as string }
    }
    async function request(orderId: string, customer: { headers: Record<string, string> }, body: object = {}) {
      const requested = waitFor("payment_desk.cancellation_requested")
      const { data } = await http.post(`/store/payment-desk/orders/${orderId}/close`, body, { headers: customer.headers })
      await requested
      return data
    }
    const answer = (id: string, verb: "approve" | "decline", body: object = {}) =>
      http.post(`/admin/payment-desk/cancellation-requests/${id}/${verb}`, body, admin).then(
        (response) => ({ status: response.status, data: response.data }),
        (error) => ({ status: error.response?.status as number, data: error.response?.data })
      )

    it("closes an unpaid order at once, and files a request for a paid one (one open request per order)", async () => {
      const customer = await customerHeaders(http, store, "unpaid@example.com")
      const unpaid = await checkout(http, store, customer, "pp_manual_bank-transfer")
      const closed = waitFor("payment_desk.order_closed")
      const { data: direct } = await http.post(`/store/payment-desk/orders/${unpaid.id}/close`, {}, { headers: customer.headers })
      await closed
      expect(direct).toMatchObject({ outcome: "closed", order_closure: { order_id: unpaid.id, refunded_amount: 0 } })
      expect(await orderStatus(unpaid.id)).toBe("canceled")

      const paid = await paidOrder("paid@example.com")
      const data = await request(paid.order_id, paid.customer, { note: "Ordered the wrong size" })
      expect(data).toMatchObject({
        outcome: "requested",
        cancellation_request: { order_id: paid.order_id, reason: "customer_request", note: "Ordered the wrong size", status: "open" },
      })
      expect(data.order_closure).toBeUndefined()
      expect(await orderStatus(paid.order_id)).toBe("pending")
      expect(await desk().listRefundRequests({ order_id: paid.order_id })).toHaveLength(0)
      expect(await emails("paid@example.com")).toEqual(["payment-desk-cancellation-requested"])

      const again = await failure(http.post(`/store/payment-desk/orders/${paid.order_id}/close`, {}, { headers: paid.customer.headers }))
      expect(again.status).toBe(409)
      expect(again.data.message).toContain("already has an open cancellation request")
      expect(await desk().listCancellationRequests({ order_id: paid.order_id })).toHaveLength(1)

      const stranger = await customerHeaders(http, store, "stranger@example.com")
      const notMine = await failure(http.post(`/store/payment-desk/orders/${paid.order_id}/close`, {}, { headers: stranger.headers }))
      expect(notMine.status).toBe(404)

      const { data: list } = await http.get("/admin/payment-desk/cancellation-requests?status=open", admin)
      expect(list).toMatchObject({ count: 1, limit: 20, offset: 0 })
      expect(list.cancellation_requests[0]).toMatchObject({
        id: data.cancellation_request.id,
        order_id: paid.order_id,
        customer: { id: paid.customer.customer_id, email: "paid@example.com", name: "Test Customer" },
        reason_label: "Customer request",
        status: "open",
        answered_by_actor: null,
      })
      expect(typeof list.cancellation_requests[0].order_display_id).toBe("number")
      expect((await http.get("/admin/payment-desk/cancellation-requests?status=declined", admin)).data.count).toBe(0)
      const badStatus = await failure(http.get("/admin/payment-desk/cancellation-requests?status=maybe", admin))
      expect(badStatus.status).toBe(400)
    })

    it("approving closes the order and refunds it with the admin as actor; a second answer gets 409 and changes nothing", async () => {
      const paid = await paidOrder("approve@example.com")
      const { cancellation_request } = await request(paid.order_id, paid.customer)
      const answered = waitFor("payment_desk.cancellation_answered")
      const closed = waitFor("payment_desk.order_closed")
      const approved = await answer(cancellation_request.id, "approve")
      await Promise.all([answered, closed])
      expect(approved.status).toBe(200)
      expect(approved.data.cancellation_request).toMatchObject({ status: "approved", answered_by_actor: { type: "user", name: "Demo Admin" } })
      expect(approved.data.order_closure).toMatchObject({ order_id: paid.order_id, actor_type: "user", reason: "customer_request", refunded_amount: 110 })
      expect(approved.data.cancellation_request.order_closure_id).toBe(approved.data.order_closure.id)
      expect(await orderStatus(paid.order_id)).toBe("canceled")
      const ledger = await desk().listRefundRequests({ order_id: paid.order_id })
      expect(ledger.map((row: { amount: unknown }) => Number(row.amount))).toEqual([110])
      const audit = (await desk().listAuditEntries({ order_id: paid.order_id })).map((e: { action: string }) => e.action)
      expect(audit).toEqual(expect.arrayContaining(["cancellation_requested", "cancellation_approved", "order_closed"]))
      expect(await emails("approve@example.com")).toEqual(
        expect.arrayContaining(["payment-desk-cancellation-requested", "payment-desk-cancellation-approved", "payment-desk-order-closed"])
      )

      const twice = await answer(cancellation_request.id, "approve")
      const declineAfter = await answer(cancellation_request.id, "decline", { message: "Too late" })
      expect([twice.status, declineAfter.status]).toEqual([409, 409])
      expect(declineAfter.data.message).toContain("already answered (approved)")
      const [row] = await desk().listCancellationRequests({ id: cancellation_request.id })
      expect(row).toMatchObject({ status: "approved", answer_message: null })
      expect(await desk().listRefundRequests({ order_id: paid.order_id })).toHaveLength(1)
      expect(await desk().listOrderClosures({ order_id: paid.order_id })).toHaveLength(1)
    })

    it("declining tells the customer why and moves no money; bad input and unknown requests are refused", async () => {
      const paid = await paidOrder("decline@example.com")
      const { cancellation_request } = await request(paid.order_id, paid.customer)
      const noMessage = await answer(cancellation_request.id, "decline", {})
      expect(noMessage.status).toBe(400)
      expect(noMessage.data.message).toContain("message")
      const unknown = await answer("pdcrq_nope", "decline", { message: "No" })
      expect(unknown.status).toBe(404)

      const answered = waitFor("payment_desk.cancellation_answered")
      const declined = await answer(cancellation_request.id, "decline", { message: "Your parcel has already left our warehouse" })
      await answered
      expect(declined.status).toBe(200)
      expect(declined.data.cancellation_request).toMatchObject({
        status: "declined",
        answer_message: "Your parcel has already left our warehouse",
        order_closure_id: null,
      })
      expect(await orderStatus(paid.order_id)).toBe("pending")
      expect(await desk().listRefundRequests({ order_id: paid.order_id })).toHaveLength(0)
      const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ to: "decline@example.com", channel: "email" })
      const declinedMail = notifications.find((n: { template: string }) => n.template === "payment-desk-cancellation-declined")
      expect(declinedMail?.data).toMatchObject({ status: "declined", message: "Your parcel has already left our warehouse" })

      // Answered: the customer may ask again.
      const again = await request(paid.order_id, paid.customer)
      expect(again.outcome).toBe("requested")
      expect(again.cancellation_request.id).not.toBe(cancellation_request.id)
    })

    it("an Idempotency-Key replays the store's request and the admin's approval without a second effect", async () => {
      const paid = await paidOrder("replay@example.com")
      const headers = { ...paid.customer.headers, "idempotency-key": "store-close-1" }
      const requested = waitFor("payment_desk.cancellation_requested")
      const first = await http.post(`/store/payment-desk/orders/${paid.order_id}/close`, {}, { headers })
      await requested
      const replay = await http.post(`/store/payment-desk/orders/${paid.order_id}/close`, {}, { headers })
      expect(replay.data).toEqual(first.data)
      expect(first.data.outcome).toBe("requested")
      expect(await desk().listCancellationRequests({ order_id: paid.order_id })).toHaveLength(1)

      const id = first.data.cancellation_request.id
      const keyed = { headers: { ...admin.headers, "idempotency-key": "approve-1" } }
      const closed = waitFor("payment_desk.order_closed")
      const approved = await http.post(`/admin/payment-desk/cancellation-requests/${id}/approve`, {}, keyed)
      await closed
      const again = await http.post(`/admin/payment-desk/cancellation-requests/${id}/approve`, {}, keyed)
      expect(again.status).toBe(200)
      expect((again as { headers?: Record<string, string> }).headers?.["idempotent-replayed"]).toBe("true")
      expect(again.data.order_closure.id).toBe(approved.data.order_closure.id)
      expect(await desk().listRefundRequests({ order_id: paid.order_id })).toHaveLength(1)
    })

    it("approve and decline at once: exactly one wins, the other gets 409, and the books match the winner", async () => {
      for (let round = 0; round < 3; round++) {
        const paid = await paidOrder(`race-${round}@example.com`)
        const { cancellation_request } = await request(paid.order_id, paid.customer)
        const answers = await Promise.all([
          answer(cancellation_request.id, "approve"),
          answer(cancellation_request.id, "decline", { message: "Raced" }),
        ])
        await new Promise((resolve) => setTimeout(resolve, 300))
        const statuses = answers.map((a) => a.status).sort()
        expect(statuses).toEqual([200, 409])
        const winner = answers[0].status === 200 ? "approved" : "declined"
        const [row] = await desk().listCancellationRequests({ id: cancellation_request.id })
        const refunds = await desk().listRefundRequests({ order_id: paid.order_id })
        expect({
          status: row.status,
          order_status: await orderStatus(paid.order_id),
          refunds: refunds.length,
          closures: (await desk().listOrderClosures({ order_id: paid.order_id })).length,
        }).toEqual(
          winner === "approved"
            ? { status: "approved", order_status: "canceled", refunds: 1, closures: 1 }
            : { status: "declined", order_status: "pending", refunds: 0, closures: 0 }
        )
      }
    })
  },
})
