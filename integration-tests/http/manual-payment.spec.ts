import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { execFile } from "node:child_process"
import path from "node:path"
import { promisify } from "node:util"
import { seedStore, SeededStore } from "../../scripts/seed/store"
import { creditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { adminHeaders, Api, checkout, customerHeaders, failure } from "../helpers/http"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let store: SeededStore

    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "Manual payment spec" })
    })

    async function orderPayment(orderId: string) {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: [
          "id",
          "total",
          "summary",
          "payment_collections.status",
          "payment_collections.captured_amount",
          "payment_collections.payments.*",
          "payment_collections.payments.captures.*",
        ],
        filters: { id: orderId },
      })
      return data[0]
    }

    describe("checkout with a manual payment method", () => {
      it.each([
        ["pp_manual_bank-transfer", "bank-transfer", "Bank transfer", 48],
        ["pp_manual_cash-on-delivery", "cash-on-delivery", "Cash on delivery", null],
      ])("places an order with %s: payment authorized, nothing captured", async (providerId, method, name, windowHours) => {
        const offered = await http.get(`/store/payment-providers?region_id=${store.region_id}`, {
          headers: { "x-publishable-api-key": store.publishable_key },
        })
        expect(offered.data.payment_providers.map((p: { id: string }) => p.id)).toEqual(
          expect.arrayContaining([providerId])
        )

        const customer = await customerHeaders(http, store, `buyer-${method}@example.com`)
        const order = await checkout(http, store, customer, providerId, [
          { variant_id: store.variant_ids[0], quantity: 2 },
        ])
        expect(order.total).toBe(210)

        const stored = await orderPayment(order.id)
        const collection = stored.payment_collections[0]
        expect(collection.status).toBe("authorized")
        expect(collection.payments).toHaveLength(1)
        const payment = collection.payments[0]
        expect(payment.provider_id).toBe(providerId)
        expect(payment.captured_at).toBeNull()
        expect(payment.captures).toEqual([])
        expect(payment.data).toMatchObject({
          method,
          display_name: name,
          payment_window_hours: windowHours,
          state: "authorized",
          currency_code: "eur",
        })
        // Medusa's own books: nothing paid, the whole total still expected.
        expect(Number(stored.summary.paid_total)).toBe(0)
        expect(Number(stored.summary.pending_difference)).toBe(210)

        const summary = await http.get(`/admin/payment-desk/orders/${order.id}`, await adminHeaders(getContainer(), http))
        expect(summary.data).toMatchObject({
          order_id: order.id,
          currency_code: "eur",
          total: 210,
          paid_total: 0,
          outstanding_amount: 210,
          payment_method: method,
        })
      })
    })

    describe("GET /store/payment-desk/orders/:id/instructions", () => {
      it("gives the owner the configured instructions, the amount due and the pay-by date", async () => {
        const customer = await customerHeaders(http, store, "owner@example.com")
        const order = await checkout(http, store, customer, "pp_manual_bank-transfer")

        const { status, data } = await http.get(`/store/payment-desk/orders/${order.id}/instructions`, {
          headers: customer.headers,
        })
        expect(status).toBe(200)
        expect(data).toEqual({
          method: "bank-transfer",
          display_name: "Bank transfer",
          instructions: expect.stringContaining("IBAN: DE89 3704 0044 0532 0130 00"),
          amount_due: 110,
          currency_code: "eur",
          pay_by: new Date(new Date(order.created_at).getTime() + 48 * 3_600_000).toISOString(),
          // The demo method's EUR account, the order's creditor reference and its GiroCode.
          reference: creditorReference(order.display_id),
          account: {
            account_holder: "Payment Desk Demo GmbH",
            iban: "DE89370400440532013000",
            bic: "COBADEFFXXX",
            bank_name: null,
          },
          qr_svg: expect.stringMatching(/^<svg /),
          epc_payload: expect.stringContaining(`\nEUR110.00\n\n${creditorReference(order.display_id)}`),
        })
        // The demo's instructions quote the order's own reference and amount.
        expect(data.instructions).toContain(`Reference: ${data.reference} (order #${order.display_id})`)
        expect(data.instructions).toContain("Transfer 110.00 EUR by ")
      })

      it("has no deadline for cash on delivery", async () => {
        const customer = await customerHeaders(http, store, "cod@example.com")
        const order = await checkout(http, store, customer, "pp_manual_cash-on-delivery")
        const { data } = await http.get(`/store/payment-desk/orders/${order.id}/instructions`, {
          headers: customer.headers,
        })
        expect(data).toMatchObject({ method: "cash-on-delivery", amount_due: 110, pay_by: null })
        expect(data.instructions).toContain("Pay the courier in cash")
      })

      it("answers 404 to another customer and 401 without a login", async () => {
        const owner = await customerHeaders(http, store, "owner2@example.com")
        const order = await checkout(http, store, owner, "pp_manual_bank-transfer")
        const stranger = await customerHeaders(http, store, "stranger@example.com")

        const other = await failure(
          http.get(`/store/payment-desk/orders/${order.id}/instructions`, { headers: stranger.headers })
        )
        expect(other.status).toBe(404)
        expect(other.data).toEqual({ type: "not_found", message: `Order with id: ${order.id} was not found` })

        const anonymous = await failure(
          http.get(`/store/payment-desk/orders/${order.id}/instructions`, {
            headers: { "x-publishable-api-key": store.publishable_key },
          })
        )
        expect(anonymous.status).toBe(401)
      })
    })

    describe("GET /admin/payment-desk/orders/:id", () => {
      it("answers 401 without an admin session and 404 for an unknown order", async () => {
        expect((await failure(http.get("/admin/payment-desk/orders/order_missing"))).status).toBe(401)
        const missing = await failure(
          http.get("/admin/payment-desk/orders/order_missing", await adminHeaders(getContainer(), http))
        )
        expect(missing).toEqual({
          status: 404,
          data: { type: "not_found", message: "Order with id: order_missing was not found" },
        })
      })
    })
  },
})

describe("manual provider options at boot", () => {
  it("refuses to boot with invalid options and names the method and the field", async () => {
    const root = path.resolve(__dirname, "../..")
    const run = promisify(execFile)
    const env = {
      ...process.env,
      NODE_OPTIONS: "",
      DATABASE_URL: `postgres://${process.env.DB_USERNAME || "postgres"}${
        process.env.DB_PASSWORD ? `:${process.env.DB_PASSWORD}` : ""
      }@${process.env.DB_HOST || "localhost"}:${process.env.DB_PORT || 5432}/postgres`,
      PAYMENT_DESK_MANUAL_METHODS: JSON.stringify([{ method: "bank-transfer", payment_window_hours: -5 }]),
    }
    const outcome = await run(
      path.join(root, "node_modules/.bin/medusa"),
      ["exec", "./integration-tests/helpers/boot.ts"],
      { cwd: root, env, timeout: 90_000 }
    ).then(
      (result) => ({ code: 0, output: result.stdout + result.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      })
    )
    expect(outcome.code).not.toBe(0)
    expect(outcome.output).toContain(
      'Manual payment method "bank-transfer": payment_window_hours must be a positive number of hours or null'
    )
    expect(outcome.output).not.toContain("booted: payment providers")
  })
})
