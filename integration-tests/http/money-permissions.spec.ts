// Defect 7: closing an order refunds it, so closing a paid order needs the
// `refund` permission too. A store whose `refund` permission lists someone
// else while every admin may close orders (`close_order: "*"`).
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, answer, Answer } from "../helpers/http"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"

jest.setTimeout(180_000)

// The runner loads medusa-config before it applies its `env` option, so the
// plugin options for this store are set here, for this file only.
const previousOptions = process.env.PAYMENT_DESK_OPTIONS
process.env.PAYMENT_DESK_OPTIONS = JSON.stringify({
  permissions: { refund: ["refunder@payment-desk.test"], close_order: "*" },
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
      store = await seedStore(getContainer(), { name: "Money permissions spec" })
    })

    const bankOrder = () =>
      placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email: `perm-${Date.now()}-${Math.random()}@example.com`,
        items: [{ variant_id: store.variant_ids[0], quantity: 2 }],
      })

    it("defect 7: an admin without the refund permission cannot refund a paid order by closing it, but can close an unpaid one", async () => {
      const closer = await adminHeaders(getContainer(), http, "closer@payment-desk.test")
      const desk = getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
      const orders = getContainer().resolve(Modules.ORDER)

      // The refund permission is enforced on the refund route itself.
      const paidOrder = await bankOrder()
      await http.post(`/admin/payment-desk/orders/${paidOrder.order_id}/payments`, { amount: 210, method: "bank-transfer" }, closer)
      const directRefund = await answer(
        http.post(`/admin/payment-desk/orders/${paidOrder.order_id}/refunds`, { amount: 10 }, closer)
      )
      expect(directRefund.status).toBe(403)

      const closed = await answer(
        http.post(`/admin/payment-desk/orders/${paidOrder.order_id}/close`, { reason: "other" }, closer)
      )
      const summary = (await http.get(`/admin/payment-desk/orders/${paidOrder.order_id}`, closer)).data
      const payments = await getContainer()
        .resolve(Modules.PAYMENT)
        .listRefunds({ payment_id: paidOrder.payment_id })
      expect({
        close_status: closed.status,
        close_message_names_refund: typeof closed.data?.message === "string" && /refund/i.test(closed.data.message),
        order_status: (await orders.retrieveOrder(paidOrder.order_id, { select: ["status"] })).status,
        closures: (await desk.listOrderClosures({ order_id: paidOrder.order_id })).length,
        ledger_rows: (await desk.listRefundRequests({ order_id: paidOrder.order_id })).length,
        medusa_refunds: payments.length,
        paid: summary.paid_total,
        refunded: summary.refunded_total,
      }).toEqual({
        close_status: 403,
        close_message_names_refund: true,
        order_status: "pending",
        closures: 0,
        ledger_rows: 0,
        medusa_refunds: 0,
        paid: 210,
        refunded: 0,
      })

      // Nothing to refund: closing stays open to every admin.
      const unpaid = await bankOrder()
      const closedUnpaid = await answer(
        http.post(`/admin/payment-desk/orders/${unpaid.order_id}/close`, { reason: "other" }, closer)
      )
      expect({
        status: closedUnpaid.status,
        refunded_amount: closedUnpaid.data?.order_closure?.refunded_amount,
        order_status: (await orders.retrieveOrder(unpaid.order_id, { select: ["status"] })).status,
      }).toEqual({ status: 200, refunded_amount: 0, order_status: "canceled" })
    })
  },
})
