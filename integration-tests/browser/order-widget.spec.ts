import fs from "node:fs"
import path from "node:path"
import type { Page } from "playwright-core"
import { ARTIFACTS, RunningStore, startBrowserStore } from "../helpers/browser"

// The demo seed writes the statement into the project's .data folder (it runs from the project root).
const DEMO_STATEMENT = path.resolve(__dirname, "../../.data/demo-bank-statement.xml")

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

  it("shows a cash-on-delivery order no bank block", async () => {
    const cod = (await summaries()).find((summary) => summary.payment_method === "cash-on-delivery")
    expect(cod).toBeDefined()
    const page = await store.adminPage()
    await page.goto(`${store.url}/app/orders/${cod!.order_id}`)
    const widget = page.getByTestId("payment-desk-order-widget")
    await widget.getByTestId("payment-desk-method").waitFor({ timeout: 60_000 })
    expect(await widget.getByTestId("payment-desk-method").innerText()).toBe("Cash on delivery")
    expect(await widget.getByTestId("payment-desk-bank-transfer").count()).toBe(0)
    await page.close()
  })

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

  it("asks for the payee: the close of a statement-paid order fills in the payer, and a refund with no payee gets one", async () => {
    // The demo statement pays one order in full by its reference (payer Grace Hopper).
    const form = new FormData()
    form.append("file", new Blob([fs.readFileSync(DEMO_STATEMENT)]), "demo-bank-statement.xml")
    await fetch(`${store.url}/admin/payment-desk/bank-statements`, {
      method: "POST",
      headers: { authorization: `Bearer ${await store.adminToken()}` },
      body: form,
    })
    const { bank_transactions } = await store.api<{ bank_transactions: { amount_match: string; order: { id: string } }[] }>(
      "/admin/payment-desk/bank-transactions?status=recorded&direction=credit"
    )
    const paidByStatement = bank_transactions.find((line) => line.amount_match === "exact")!.order.id
    // Another bank-transfer order, paid through "Record payment" (no bank line) and partly refunded: nobody to pay yet.
    const unpaid = (await summaries()).find((summary) => summary.payment_method === "bank-transfer" && summary.paid_total === 0 && summary.outstanding_amount > 0)!
    const post = (route: string, body: unknown) => store.api(route, { method: "POST", body: JSON.stringify(body) })
    await post(`/admin/payment-desk/orders/${unpaid.order_id}/payments`, { amount: unpaid.outstanding_amount, method: "bank-transfer" })
    await post(`/admin/payment-desk/orders/${unpaid.order_id}/refunds`, { amount: 10 })

    const open = async (language: string, orderId: string) => {
      const page = await store.adminPage()
      await page.context().addCookies([{ name: "lng", value: language, url: store.url }])
      await page.goto(`${store.url}/app/orders/${orderId}`)
      const widget = page.getByTestId("payment-desk-order-widget")
      await widget.getByTestId("payment-desk-amount-due").waitFor({ timeout: 60_000 })
      return { page, widget }
    }
    const shoot = async (page: Page, name: string) => {
      await page.waitForTimeout(400)
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })
    }

    for (const language of ["de", "en"]) {
      const { page, widget } = await open(language, paidByStatement)
      await widget.getByTestId("payment-desk-close-open").click()
      const payee = page.getByRole("dialog").getByTestId("payment-desk-close-payee")
      // The payer arrives with the summary the drawer already has: filled in at once.
      await payee.waitFor()
      expect([await payee.locator("#pd-close-payee-name").inputValue(), await payee.locator("#pd-close-payee-iban").inputValue()]).toEqual([
        "Grace Hopper",
        "NL91ABNA0417164300",
      ])
      await shoot(page, `close-drawer-${language}`)
      if (language === "en") {
        await page.getByRole("dialog").getByTestId("payment-desk-close-submit").click()
        await page.getByRole("alertdialog").getByRole("button", { name: "Close order" }).click()
        // The close's manual refund is paid to the payer: no "No payee".
        await widget.getByTestId("payment-desk-refund-details").filter({ hasText: "to Grace Hopper · •••• 4300" }).waitFor()
        expect(await widget.getByTestId("payment-desk-no-payee").count()).toBe(0)
      }
      await page.close()
    }

    // The Refunds page says it too, with the same action.
    const refunds = await store.adminPage()
    await refunds.goto(`${store.url}/app/payment-desk/refunds`)
    const listed = refunds.getByTestId("refunds-page").locator("tbody tr").filter({ has: refunds.getByTestId("payment-desk-no-payee") })
    await listed.getByTestId("payment-desk-payee-open").waitFor({ timeout: 60_000 })
    expect(await listed.getByTestId("payment-desk-payee-open").innerText()).toBe("Add payee")
    await shoot(refunds, "refunds-no-payee-en")
    await refunds.close()

    for (const language of ["de", "en"]) {
      const { page, widget } = await open(language, unpaid.order_id)
      const row = widget.getByTestId("payment-desk-refund-row").first()
      await row.getByTestId("payment-desk-no-payee").waitFor()
      await row.scrollIntoViewIfNeeded()
      await shoot(page, `no-payee-${language}`)
      await row.getByTestId("payment-desk-payee-open").click()
      const drawer = page.getByRole("dialog")
      await drawer.getByTestId("payment-desk-payee-fields").waitFor()
      await shoot(page, `add-payee-drawer-${language}`)
      if (language === "en") {
        expect(await row.getByTestId("payment-desk-no-payee").innerText()).toBe("No payee")
        await drawer.getByLabel("Account holder").fill("Erika Mustermann")
        await drawer.getByLabel("IBAN").fill("DE00 1234")
        await drawer.getByTestId("payment-desk-payee-submit").click()
        await drawer.getByText("This is not a valid IBAN.").waitFor()
        await drawer.getByLabel("IBAN").fill("NL91 ABNA 0417 1643 00")
        await drawer.getByTestId("payment-desk-payee-submit").click()
        await drawer.waitFor({ state: "detached" })
        await row.getByTestId("payment-desk-refund-details").filter({ hasText: "to Erika Mustermann · •••• 4300" }).waitFor()
        expect(await row.getByTestId("payment-desk-no-payee").count()).toBe(0)
        expect(await row.getByTestId("payment-desk-payee-open").innerText()).toBe("Change payee")
      }
      await page.close()
    }
  })
})
