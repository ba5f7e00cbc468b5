import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, failure } from "../helpers/http"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"

jest.setTimeout(120_000)

// The runner loads medusa-config before it applies its `env` option, so the
// plugin options for this store are set here, for this file only.
const previousOptions = process.env.PAYMENT_DESK_OPTIONS
process.env.PAYMENT_DESK_OPTIONS = JSON.stringify({
  permissions: { record_payment: ["cashier@payment-desk.test"] },
})
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
      store = await seedStore(getContainer(), { name: "Permissions spec" })
    })

    it("lets only the admins the record_payment permission lists record payments", async () => {
      const { order_id } = await placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email: "buyer@example.com",
        items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
      })
      const intern = await adminHeaders(getContainer(), http, "intern@payment-desk.test")
      const cashier = await adminHeaders(getContainer(), http, "cashier@payment-desk.test")
      const body = { amount: 10, method: "cash" }

      const denied = await failure(http.post(`/admin/payment-desk/orders/${order_id}/payments`, body, intern))
      expect(denied).toEqual({
        status: 403,
        data: {
          type: "forbidden",
          message:
            'You may not record payments: the "record_payment" permission of medusa-payment-desk does not include you',
        },
      })
      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      expect(await desk.listAuditEntries({ order_id })).toHaveLength(0)

      // Reading stays open to every admin.
      expect((await http.get(`/admin/payment-desk/orders/${order_id}`, intern)).data.paid_total).toBe(0)

      const allowed = await http.post(`/admin/payment-desk/orders/${order_id}/payments`, body, cashier)
      expect(allowed.status).toBe(200)
      expect(allowed.data.summary.paid_total).toBe(10)
      expect(allowed.data.audit_entry.actor_email).toBe("cashier@payment-desk.test")
    })
  },
})
