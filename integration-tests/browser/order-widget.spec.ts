import path from "node:path"
import { ARTIFACTS, RunningStore, startBrowserStore } from "../helpers/browser"

jest.setTimeout(300_000)

type Summary = {
  order_id: string
  display_id: number
  payment_method: string | null
  total: number
  paid_total: number
  outstanding_amount: number
  pay_by: string | null
  reference: string | null
  account: { account_holder: string; iban: string; bic: string | null } | null
  qr_svg: string | null
}

describe("admin order widget", () => {
  let store: RunningStore

  beforeAll(async () => {
    store = await startBrowserStore("widget")
  })

  afterAll(async () => {
    await store?.stop()
  })

  async function summaries(): Promise<Summary[]> {
    const { orders } = await store.api<{ orders: { id: string }[] }>("/admin/orders?fields=id&limit=50")
    return Promise.all(orders.map((order) => store.api<Summary>(`/admin/payment-desk/orders/${order.id}`)))
  }

  it("shows a bank-transfer order's method, amount due and pay-by date", async () => {
    const awaiting = (await summaries()).find(
      (summary) =>
        summary.payment_method === "bank-transfer" &&
        summary.paid_total === 0 &&
        summary.outstanding_amount > 0 &&
        !!summary.pay_by &&
        new Date(summary.pay_by) > new Date()
    )
    expect(awaiting).toBeDefined()

    const page = await store.adminPage()
    await page.goto(`${store.url}/app/orders/${awaiting!.order_id}`)
    const widget = page.getByTestId("payment-desk-order-widget")
    await widget.getByTestId("payment-desk-amount-due").waitFor({ timeout: 60_000 })

    const text = (id: string) => widget.getByTestId(id).innerText()
    const expected = await page.evaluate(
      ({ amount, payBy }) => ({
        amount: new Intl.NumberFormat(undefined, { style: "currency", currency: "EUR" }).format(amount),
        zero: new Intl.NumberFormat(undefined, { style: "currency", currency: "EUR" }).format(0),
        payBy: new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(payBy)),
      }),
      { amount: awaiting!.outstanding_amount, payBy: awaiting!.pay_by! }
    )
    expect(await text("payment-desk-method")).toBe("Bank transfer")
    expect(await text("payment-desk-amount-due")).toBe(expected.amount)
    expect(await text("payment-desk-received")).toBe(expected.zero)
    expect(await text("payment-desk-pay-by")).toBe(expected.payBy)
    await expect(widget.innerText()).resolves.toContain("Awaiting payment")

    // What a merchant reads out on the phone: reference, account and the GiroCode.
    expect(awaiting!.reference).toMatch(/^RF[0-9]{2}/)
    expect(await text("payment-desk-reference")).toBe(awaiting!.reference!.replace(/(.{4})(?=.)/g, "$1 "))
    expect(await text("payment-desk-account-holder")).toBe("Payment Desk Demo GmbH")
    expect(await text("payment-desk-iban")).toBe("DE89 3704 0044 0532 0130 00")
    expect(await text("payment-desk-bic")).toBe("COBADEFFXXX")
    const qr = widget.getByTestId("payment-desk-qr")
    await qr.scrollIntoViewIfNeeded()
    // The image decoded: the browser knows its natural size.
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)

    await widget.scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(ARTIFACTS, "order-widget.png") })
    await page.close()
  })
})
