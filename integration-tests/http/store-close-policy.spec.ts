import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, checkout, customerHeaders } from "../helpers/http"
import { PAYMENT_DESK_MODULE, PaymentDeskModuleService } from "../../src/modules/payment-desk"

jest.setTimeout(300_000)

// `store_close: "immediate"`: a customer's close of a paid order refunds and
// closes at once. The default (`unpaid_only`) is checked in close-order.spec.ts ("the desk's lists")
// and `request` in cancellation-requests.spec.ts.
const previousOptions = process.env.PAYMENT_DESK_OPTIONS
process.env.PAYMENT_DESK_OPTIONS = JSON.stringify({ store_close: "immediate" })
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

    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "Store close policy spec" })
    })

    it("immediate: the customer's close of a paid order refunds it in full and closes it", async () => {
      const admin = await adminHeaders(getContainer(), http)
      const customer = await customerHeaders(http, store, "immediate@example.com")
      const placed = await checkout(http, store, customer, "pp_manual_bank-transfer")
      await http.post(`/admin/payment-desk/orders/${placed.id}/payments`, { amount: 110, method: "bank-transfer" }, admin)
      const closed = TestEventUtils.waitSubscribersExecution("payment_desk.order_closed", getContainer().resolve(Modules.EVENT_BUS))
      const { data } = await http.post(`/store/payment-desk/orders/${placed.id}/close`, {}, { headers: customer.headers })
      await closed
      expect(data).toMatchObject({ outcome: "closed", order_closure: { order_id: placed.id, refunded_amount: 110 } })
      const desk = getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
      expect((await desk.listRefundRequests({ order_id: placed.id })).map((r: { amount: unknown }) => Number(r.amount))).toEqual([110])
      expect(await desk.listCancellationRequests({ order_id: placed.id })).toHaveLength(0)
      const order = await getContainer().resolve(Modules.ORDER).retrieveOrder(placed.id, { select: ["status"] })
      expect(order.status).toBe("canceled")
    })
  },
})
