import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, answer, Api, failure } from "../helpers/http"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"

jest.setTimeout(300_000)

// The runner loads medusa-config before it applies its `env` option, so the
// plugin options for this store are set here, for this file only.
const previousOptions = process.env.PAYMENT_DESK_OPTIONS
process.env.PAYMENT_DESK_OPTIONS = JSON.stringify({
  permissions: {
    record_payment: ["cashier@payment-desk.test", "boss@payment-desk.test", "closer@payment-desk.test"],
    refund: ["refunder@payment-desk.test"],
    close_order: "*",
  },
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

    it("an admin cannot grant themselves a permission through an invite of a listed email (seam 8)", async () => {
      const intern = await adminHeaders(getContainer(), http, "intern2@payment-desk.test")
      const { order_id } = await placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email: "buyer2@example.com",
        items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
      })
      // 1. An invite of the listed email itself.
      const direct = await failure(http.post("/admin/invites", { email: "Boss@payment-desk.test" }, intern))
      // 2. An invite of another email, accepted under the listed one.
      const { data: invited } = await http.post("/admin/invites", { email: "newcomer@payment-desk.test" }, intern)
      const register = async (email: string) =>
        (await http.post("/auth/user/emailpass/register", { email, password: "secret-password" })).data.token as string
      const asBoss = await register("boss@payment-desk.test")
      const swapped = await failure(
        http.post(
          `/admin/invites/accept?token=${invited.invite.token}`,
          { email: "boss@payment-desk.test", first_name: "Not", last_name: "Boss" },
          { headers: { authorization: `Bearer ${asBoss}` } }
        )
      )
      const users = await getContainer().resolve("user").listUsers({ email: "boss@payment-desk.test" })
      // 3. The same invite accepted under its own email works, and grants nothing.
      const asNewcomer = await register("newcomer@payment-desk.test")
      const accepted = await http.post(
        `/admin/invites/accept?token=${invited.invite.token}`,
        { first_name: "New", last_name: "Comer" },
        { headers: { authorization: `Bearer ${asNewcomer}` } }
      )
      const { data: login } = await http.post("/auth/user/emailpass", { email: "newcomer@payment-desk.test", password: "secret-password" })
      const record = await failure(
        http.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: 10, method: "cash" }, { headers: { authorization: `Bearer ${login.token}` } })
      )
      expect({
        direct: [direct.status, /boss@payment-desk.test is named in medusa-payment-desk's permissions \(record_payment\)/.test(direct.data.message)],
        swapped: [swapped.status, /cannot come from an invite/.test(swapped.data.message)],
        boss_accounts: users.length,
        accepted: [accepted.status, accepted.data.user.email],
        newcomer_records: record.status,
      }).toEqual({
        direct: [400, true],
        swapped: [400, true],
        boss_accounts: 0,
        accepted: [200, "newcomer@payment-desk.test"],
        newcomer_records: 403,
      })
    })

    // Defect 7 (formerly money-permissions.spec.ts): closing an order refunds
    // it, so closing a paid order needs the `refund` permission too. The
    // `refund` permission lists someone else while every admin may close
    // orders (`close_order: "*"`); "closer" may record payments.
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
