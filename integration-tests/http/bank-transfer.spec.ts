import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { capture, seedStore, SeededStore } from "../../scripts/seed/store"
import { renderQrSvg } from "../../src/utils/bank-transfer/epc-qr"
import { creditorReference, isValidCreditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { adminHeaders, Api, checkout, customerHeaders, failure } from "../helpers/http"

jest.setTimeout(300_000)

const EUR_ACCOUNT = {
  currency: "eur",
  account_holder: "Payment Desk Demo GmbH",
  iban: "DE89 3704 0044 0532 0130 00",
  bic: "COBADEFFXXX",
  bank_name: "Commerzbank",
}
const USD_ACCOUNT = {
  currency: "usd",
  account_holder: "Payment Desk Demo Ltd",
  iban: "GB29NWBK60161331926819",
  bic: "NWBKGB2L",
}

// This spec's store: a bank transfer with an account per currency and an RF
// reference, and a second transfer method that quotes the display id.
process.env.PAYMENT_DESK_MANUAL_METHODS = JSON.stringify([
  {
    method: "bank-transfer",
    instructions:
      "Pay {amount} by {pay_by} to {account_holder}, IBAN {iban}, BIC {bic}, reference {reference} (order #{order_number}).",
    currencies: ["eur", "usd"],
    accounts: [EUR_ACCOUNT, USD_ACCOUNT],
  },
  {
    method: "order-number-transfer",
    display_name: "Transfer quoting the order number",
    instructions: "Quote {reference}.",
    reference_format: "display_id",
    accounts: [EUR_ACCOUNT],
  },
])

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let eur: SeededStore
    let usd: SeededStore

    beforeAll(async () => {
      const paymentProviders = ["pp_manual_bank-transfer", "pp_manual_order-number-transfer"]
      eur = await seedStore(getContainer(), { name: "Bank transfer EUR", paymentProviders })
      usd = await seedStore(getContainer(), {
        name: "Bank transfer USD",
        currency_code: "usd",
        countries: ["us"],
        paymentProviders,
        products: [{ title: "Desk lamp (US)", price: 100 }],
      })
    })

    const instructionsOf = async (orderId: string, headers: Record<string, string>) =>
      (await http.get(`/store/payment-desk/orders/${orderId}/instructions`, { headers })).data

    /** A customer's checkout with a method, and the instructions the customer then reads. */
    async function placeAndRead(store: SeededStore, email: string, providerId: string) {
      const customer = await customerHeaders(http, store, email)
      const order = await checkout(http, store, customer, providerId)
      return { customer, order, data: await instructionsOf(order.id, customer.headers) }
    }

    it("gives a euro bank transfer its RF reference, the EUR account, the amount due and a GiroCode", async () => {
      const { customer, order, data } = await placeAndRead(eur, "giro@example.com", "pp_manual_bank-transfer")
      const payBy = new Date(new Date(order.created_at).getTime() + 48 * 3_600_000).toISOString()
      expect(isValidCreditorReference(data.reference)).toBe(true)
      expect(data).toEqual({
        order_id: order.id,
        display_id: order.display_id,
        method: "bank-transfer",
        display_name: "Bank transfer",
        kind: "bank_transfer",
        status: "awaiting_payment",
        total: 110,
        paid_total: 0,
        refunded_total: 0,
        overdue: false,
        paid_at: null,
        closure: null,
        cancellation_request: null,
        refunds: [],
        // The store's default `store_close` (unpaid_only): an unpaid order its customer may close.
        actions: { close: true, request_cancellation: false },
        instructions:
          `Pay 110.00 EUR by ${payBy.slice(0, 16).replace("T", " ")} UTC to Payment Desk Demo GmbH, ` +
          `IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX, reference ${data.reference} (order #${order.display_id}).`,
        reference: creditorReference(order.display_id),
        account: {
          account_holder: "Payment Desk Demo GmbH",
          iban: "DE89370400440532013000",
          bic: "COBADEFFXXX",
          bank_name: "Commerzbank",
        },
        amount_due: 110,
        currency_code: "eur",
        pay_by: payBy,
        qr_svg: expect.stringMatching(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/),
        epc_payload: expect.any(String),
      })
      expect(data.epc_payload.split("\n")).toEqual([
        "BCD",
        "002",
        "1",
        "SCT",
        "COBADEFFXXX",
        "Payment Desk Demo GmbH",
        "DE89370400440532013000",
        "EUR110.00",
        "",
        data.reference,
        "",
      ])
      // The SVG is the payload's code (the unit tests read such codes back).
      expect(data.qr_svg).toBe(await renderQrSvg(data.epc_payload))

      // The merchant's summary carries the same reference, account and code.
      const admin = await adminHeaders(getContainer(), http)
      const { data: summary } = await http.get(`/admin/payment-desk/orders/${order.id}`, admin)
      expect(summary).toMatchObject({
        reference: data.reference,
        account: data.account,
        epc_payload: data.epc_payload,
        qr_svg: data.qr_svg,
        instructions: data.instructions,
      })

      // Paid in full: nothing due, so no code asking for money; the reference stays.
      await capture(getContainer(), summary.payments[0].id)
      const paid = await instructionsOf(order.id, customer.headers)
      expect(paid).toMatchObject({
        amount_due: 0,
        paid_total: 110,
        status: "paid",
        paid_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        reference: data.reference,
        qr_svg: null,
        epc_payload: null,
        actions: { close: false, request_cancellation: false },
      })
      expect(paid.instructions).toContain("Pay 0.00 EUR")
    })

    it("reads a partly paid order as partially_paid with what is still due", async () => {
      const { customer, order } = await placeAndRead(eur, "partly@example.com", "pp_manual_bank-transfer")
      const admin = await adminHeaders(getContainer(), http)
      const { data: summary } = await http.get(`/admin/payment-desk/orders/${order.id}`, admin)
      await capture(getContainer(), summary.payments[0].id, 40)
      expect(await instructionsOf(order.id, customer.headers)).toMatchObject({
        status: "partially_paid",
        paid_total: 40,
        amount_due: 70,
        paid_at: null,
        // Money is in: under `unpaid_only` the customer can neither close nor ask.
        actions: { close: false, request_cancellation: false },
      })
    })

    it("reads an order past its pay-by date with money due as overdue", async () => {
      const { customer, order } = await placeAndRead(eur, "late@example.com", "pp_manual_bank-transfer")
      // Placed three days ago: the 48-hour window is over.
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await pg.raw(`update "order" set created_at = now() - interval '3 days' where id = ?`, [order.id])
      const late = await instructionsOf(order.id, customer.headers)
      expect(late).toMatchObject({ status: "awaiting_payment", overdue: true, amount_due: 110 })
      expect(Date.parse(late.pay_by)).toBeLessThan(Date.now())
      // Paid: nothing is overdue any more.
      const admin = await adminHeaders(getContainer(), http)
      const { data: summary } = await http.get(`/admin/payment-desk/orders/${order.id}`, admin)
      await capture(getContainer(), summary.payments[0].id)
      expect(await instructionsOf(order.id, customer.headers)).toMatchObject({ status: "paid", overdue: false })
    })

    it("lists a region's manual methods with their names and kinds; the region is required", async () => {
      const pk = { headers: { "x-publishable-api-key": eur.publishable_key } }
      const methodsOf = async (regionId: string) =>
        (await http.get(`/store/payment-desk/payment-methods?region_id=${regionId}`, pk)).data.payment_methods
      expect(await methodsOf(eur.region_id)).toEqual([
        {
          provider_id: "pp_manual_bank-transfer",
          method: "bank-transfer",
          display_name: "Bank transfer",
          kind: "bank_transfer",
          payment_window_hours: 48,
        },
        {
          provider_id: "pp_manual_order-number-transfer",
          method: "order-number-transfer",
          display_name: "Transfer quoting the order number",
          kind: "bank_transfer",
          payment_window_hours: null,
        },
      ])
      // In dollars the second method has no account: instructions only.
      expect((await methodsOf(usd.region_id)).map((m: { method: string; kind: string }) => [m.method, m.kind])).toEqual([
        ["bank-transfer", "bank_transfer"],
        ["order-number-transfer", "manual"],
      ])
      const missing = await failure(http.get(`/store/payment-desk/payment-methods`, pk))
      expect(missing.status).toBe(400)
      expect(missing.data.message).toContain("region_id")
      const unknown = await failure(http.get(`/store/payment-desk/payment-methods?region_id=reg_nope`, pk))
      expect(unknown.status).toBe(404)
    })

    it("shows a guest's order by its id without a login, a customer's order only to that customer", async () => {
      const pk = { "x-publishable-api-key": eur.publishable_key }
      // A guest checkout: no login, an email on the cart.
      const { data: cartData } = await http.post(
        "/store/carts",
        {
          region_id: eur.region_id,
          sales_channel_id: eur.sales_channel_id,
          email: "guest@example.com",
          shipping_address: eur.address,
          billing_address: eur.address,
          items: [{ variant_id: eur.variant_ids[0], quantity: 1 }],
        },
        { headers: pk }
      )
      const cartId = cartData.cart.id
      await http.post(`/store/carts/${cartId}/shipping-methods`, { option_id: eur.shipping_option_id }, { headers: pk })
      const { data: collection } = await http.post("/store/payment-collections", { cart_id: cartId }, { headers: pk })
      await http.post(
        `/store/payment-collections/${collection.payment_collection.id}/payment-sessions`,
        { provider_id: "pp_manual_bank-transfer" },
        { headers: pk }
      )
      const { data: completed } = await http.post(`/store/carts/${cartId}/complete`, {}, { headers: pk })
      const guestOrder = completed.order
      expect(await instructionsOf(guestOrder.id, pk)).toMatchObject({
        status: "awaiting_payment",
        amount_due: 110,
        // Nobody is logged in: nothing to do but pay.
        actions: { close: false, request_cancellation: false },
      })

      const { customer, order } = await placeAndRead(eur, "owner@example.com", "pp_manual_bank-transfer")
      expect((await failure(instructionsOf(order.id, pk))).status).toBe(404)
      const other = await customerHeaders(http, eur, "someone-else@example.com")
      expect((await failure(instructionsOf(order.id, other.headers))).status).toBe(404)
      expect((await failure(instructionsOf(guestOrder.id, other.headers))).status).toBe(404)
      expect((await instructionsOf(order.id, customer.headers)).order_id).toBe(order.id)
      // Closing stays the logged-in customer's.
      expect((await failure(http.post(`/store/payment-desk/orders/${guestOrder.id}/close`, {}, { headers: pk }))).status).toBe(401)
    })

    it("gives a dollar order the USD account and no GiroCode", async () => {
      const { order, data } = await placeAndRead(usd, "dollars@example.com", "pp_manual_bank-transfer")
      expect(data).toMatchObject({
        currency_code: "usd",
        amount_due: 110,
        reference: creditorReference(order.display_id),
        account: { account_holder: "Payment Desk Demo Ltd", iban: "GB29NWBK60161331926819", bic: "NWBKGB2L", bank_name: null },
        qr_svg: null,
        epc_payload: null,
      })
      expect(data.instructions).toContain("Pay 110.00 USD")
      expect(data.instructions).toContain("IBAN GB29 NWBK 6016 1331 9268 19, BIC NWBKGB2L")
    })

    it("quotes the display id with reference_format display_id, as remittance text in the code", async () => {
      const { order, data } = await placeAndRead(eur, "order-number@example.com", "pp_manual_order-number-transfer")
      expect(data).toMatchObject({
        method: "order-number-transfer",
        reference: String(order.display_id),
        instructions: `Quote ${order.display_id}.`,
        pay_by: null,
      })
      expect(data.epc_payload.split("\n").slice(7)).toEqual(["EUR110.00", "", "", String(order.display_id)])
      expect(data.qr_svg).toMatch(/^<svg/)
    })
  },
})
