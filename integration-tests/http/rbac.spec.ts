import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createAdminUser, placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, failure } from "../helpers/http"
import { RBAC_POLICIES } from "../../src/modules/payment-desk"

jest.setTimeout(300_000)

// Medusa RBAC on (its `rbac` feature flag, which also loads the RBAC module):
// the runner loads medusa-config and the feature flags in its own beforeAll,
// so the environment is set here, for this file only. The fallback (RBAC
// off, the plugin's `permissions` option) is rbac-fallback.spec.ts: one
// Medusa app per spec file.
const previous = { options: process.env.PAYMENT_DESK_OPTIONS, rbac: process.env.MEDUSA_FF_RBAC }
process.env.MEDUSA_FF_RBAC = "true"
// RBAC decides when it is on: this option would refuse every refund.
process.env.PAYMENT_DESK_OPTIONS = JSON.stringify({ permissions: { refund: ["nobody@payment-desk.test"] } })
afterAll(() => {
  for (const [key, value] of [
    ["PAYMENT_DESK_OPTIONS", previous.options],
    ["MEDUSA_FF_RBAC", previous.rbac],
  ] as const) {
    if (value === undefined) {
      delete process.env[key]
    } else {
      process.env[key] = value
    }
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
      store = await seedStore(getContainer(), { name: "RBAC spec" })
    })

    /** An admin with the given roles, logged in after the roles were given (the token carries them). */
    async function adminWithRoles(email: string, roleIds: string[]) {
      const container = getContainer()
      const userId = await createAdminUser(container, { email, password: "supersecret" })
      const link = container.resolve(ContainerRegistrationKeys.LINK)
      for (const roleId of roleIds) {
        await link.create({ [Modules.USER]: { user_id: userId }, [Modules.RBAC]: { rbac_role_id: roleId } })
      }
      const { data } = await http.post("/auth/user/emailpass", { email, password: "supersecret" })
      return { headers: { authorization: `Bearer ${data.token}` } }
    }

    it("declares the plugin's policies to Medusa RBAC, so the roles UI offers them", async () => {
      const rbac = getContainer().resolve(Modules.RBAC)
      const keys = Object.values(RBAC_POLICIES).map((p) => `${p.resource}:${p.operation}`)
      const policies = await rbac.listRbacPolicies({ key: keys })
      expect(policies.map((p: { key: string }) => p.key).sort()).toEqual([...keys].sort())
      expect(policies.find((p: { key: string }) => p.key === "payment_desk_refund:create")).toMatchObject({
        name: "PaymentDeskCreateRefund",
      })
    })

    it("a role without payment_desk_refund:create gets 403 and can.refund false; the super admin may refund despite the option", async () => {
      const rbac = getContainer().resolve(Modules.RBAC)
      const [recordPolicy, closePolicy] = await Promise.all([
        rbac.listRbacPolicies({ key: "payment_desk_payment:record" }),
        rbac.listRbacPolicies({ key: "payment_desk_order:close" }),
      ])
      const cashierRole = await rbac.createRbacRoles({ name: "Cashier" })
      await rbac.createRbacRolePolicies([
        { role_id: cashierRole.id, policy_id: recordPolicy[0].id },
        { role_id: cashierRole.id, policy_id: closePolicy[0].id },
      ])
      const cashier = await adminWithRoles("cashier@payment-desk.test", [cashierRole.id])
      const superAdmin = await adminWithRoles("super@payment-desk.test", ["role_super_admin"])
      const { order_id } = await order(getContainer(), store, "rbac@example.com")

      expect((await http.get(`/admin/payment-desk/orders/${order_id}`, cashier)).data.can).toEqual({
        record_payment: true,
        refund: false,
        close_order: true,
      })
      expect((await http.get(`/admin/payment-desk/orders/${order_id}`, superAdmin)).data.can).toEqual({
        record_payment: true,
        refund: true,
        close_order: true,
      })
      const paid = await http.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: 110, method: "bank-transfer" }, cashier)
      expect(paid.status).toBe(200)
      const refused = await failure(http.post(`/admin/payment-desk/orders/${order_id}/refunds`, { amount: 10 }, cashier))
      expect(refused.status).toBe(403)
      // Medusa's router refuses it from the route's declared policy, before the plugin's own check.
      expect(refused.data.message).toBe("Insufficient permissions. Required policies: payment_desk_refund:create")
      // Closing a paid order refunds it: the cashier may close but not refund.
      const closeRefused = await failure(http.post(`/admin/payment-desk/orders/${order_id}/close`, { reason: "other" }, cashier))
      expect(closeRefused.status).toBe(403)
      const refunded = await http.post(`/admin/payment-desk/orders/${order_id}/refunds`, { amount: 10 }, superAdmin)
      expect(refunded.status).toBe(200)
      expect(refunded.data.refund_request).toMatchObject({ amount: 10 })
    })

    it("an admin without any role may not move money and can do nothing", async () => {
      const nobody = await adminHeaders(getContainer(), http, "no-role@payment-desk.test")
      const { order_id } = await order(getContainer(), store, "no-role@example.com")
      expect((await http.get(`/admin/payment-desk/orders/${order_id}`, nobody)).data.can).toEqual({
        record_payment: false,
        refund: false,
        close_order: false,
      })
      const refused = await failure(http.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: 10, method: "cash" }, nobody))
      expect(refused).toEqual({ status: 403, data: { type: "forbidden", message: "Forbidden" } })
    })
  },
})
