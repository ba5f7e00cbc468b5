import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, failure } from "../helpers/http"

jest.setTimeout(300_000)

// Medusa RBAC off (the default): the plugin's `permissions` option decides,
// and `can` follows it. The runner loads medusa-config before it applies its
// `env` option, so the plugin options are set here, for this file only.
const previous = process.env.PAYMENT_DESK_OPTIONS
process.env.PAYMENT_DESK_OPTIONS = JSON.stringify({
  permissions: { refund: ["boss@payment-desk.test"], close_order: ["boss@payment-desk.test"] },
})
afterAll(() => {
  if (previous === undefined) {
    delete process.env.PAYMENT_DESK_OPTIONS
  } else {
    process.env.PAYMENT_DESK_OPTIONS = previous
  }
})

const order = (container: MedusaContainer, store: SeededStore, email: string) =>
  placeOrder(container, store, {
    provider_id: "pp_manual_bank-transfer",
    email,
    items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
  })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let store: SeededStore
    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "RBAC fallback spec" })
    })

    it("answers can per admin from the option, and the money routes follow it", async () => {
      const { order_id } = await order(getContainer(), store, "fallback@example.com")
      const boss = await adminHeaders(getContainer(), http, "boss@payment-desk.test")
      const clerk = await adminHeaders(getContainer(), http, "clerk@payment-desk.test")
      expect((await http.get(`/admin/payment-desk/orders/${order_id}`, boss)).data.can).toEqual({
        record_payment: true,
        refund: true,
        close_order: true,
      })
      expect((await http.get(`/admin/payment-desk/orders/${order_id}`, clerk)).data.can).toEqual({
        record_payment: true,
        refund: false,
        close_order: false,
      })
      await http.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: 110, method: "bank-transfer" }, clerk)
      const refused = await failure(http.post(`/admin/payment-desk/orders/${order_id}/refunds`, { amount: 10 }, clerk))
      expect(refused.status).toBe(403)
      expect(refused.data.message).toContain('the "refund" permission of medusa-payment-desk does not include you')
      expect((await http.post(`/admin/payment-desk/orders/${order_id}/refunds`, { amount: 10 }, boss)).status).toBe(200)
    })
  },
})
