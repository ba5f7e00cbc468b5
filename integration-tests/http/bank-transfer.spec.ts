import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { capture, seedStore, SeededStore } from "../../scripts/seed/store"
import { renderQrSvg } from "../../src/utils/bank-transfer/epc-qr"
import { creditorReference, isValidCreditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { adminHeaders, Api, checkout, customerHeaders } from "../helpers/http"

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
        method: "bank-transfer",
        display_name: "Bank transfer",
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
      expect(paid).toMatchObject({ amount_due: 0, reference: data.reference, qr_svg: null, epc_payload: null })
      expect(paid.instructions).toContain("Pay 0.00 EUR")
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
