import path from "node:path"
import { ARTIFACTS, RunningStore, startBrowserStore } from "../helpers/browser"

jest.setTimeout(300_000)

type Summary = {
  order_id: string
  payment_method: string | null
  paid_total: number
  outstanding_amount: number
  status: string
  audit: { id: string; amount: number; reference: string | null; method: string }[]
}

describe("recording a payment in the admin", () => {
  let store: RunningStore

  beforeAll(async () => {
    store = await startBrowserStore("record_payment")
  })

  afterAll(async () => {
    await store?.stop()
  })

  it("records a partial payment through the widget: outstanding drops, the timeline grows", async () => {
    const { orders } = await store.api<{ orders: { id: string }[] }>("/admin/orders?fields=id&limit=50")
    const summaries = await Promise.all(
      orders.map((order) => store.api<Summary>(`/admin/payment-desk/orders/${order.id}`))
    )
    const order = summaries.find(
      (s) => s.payment_method === "cash-on-delivery" && s.paid_total === 0 && s.status !== "canceled"
    )!
    expect(order).toBeDefined()
    const partial = Math.round((order.outstanding_amount / 2) * 100) / 100

    const page = await store.adminPage()
    await page.goto(`${store.url}/app/orders/${order.order_id}`)
    const widget = page.getByTestId("payment-desk-order-widget")
    await widget.getByTestId("payment-desk-amount-due").waitFor({ timeout: 60_000 })
    const money = (value: number) =>
      page.evaluate((v) => new Intl.NumberFormat(undefined, { style: "currency", currency: "EUR" }).format(v), value)
    expect(await widget.getByTestId("payment-desk-amount-due").innerText()).toBe(await money(order.outstanding_amount))

    await widget.getByTestId("payment-desk-record-open").click()
    const drawer = page.getByRole("dialog")
    await drawer.getByLabel("Amount (EUR)").waitFor()
    // Prefilled with what is outstanding, and the order's own method.
    expect(await drawer.getByLabel("Amount (EUR)").inputValue()).toBe(String(order.outstanding_amount))
    expect(await drawer.getByTestId("payment-desk-record-method").innerText()).toContain("Cash on delivery")

    // Over the outstanding amount: refused in the form before any confirmation, nothing is recorded.
    await drawer.getByLabel("Amount (EUR)").fill(String(order.outstanding_amount + 5))
    await drawer.getByTestId("payment-desk-record-submit").click()
    const error = drawer.getByTestId("payment-desk-record-amount-error")
    await error.waitFor()
    expect(await error.innerText()).toContain("is more than the outstanding amount")
    expect(await page.getByRole("alertdialog").count()).toBe(0)

    await drawer.getByLabel("Amount (EUR)").fill(String(partial))
    await drawer.getByLabel("Reference").fill("COURIER-RECEIPT-17")
    await drawer.getByLabel("Note").fill("Collected by the courier")
    await drawer.getByTestId("payment-desk-record-submit").click()
    await page.getByRole("alertdialog").getByRole("button", { name: "Record payment" }).click()
    await drawer.waitFor({ state: "detached" })

    const remaining = Math.round((order.outstanding_amount - partial) * 100) / 100
    await page.waitForFunction(
      ([text]) => document.querySelector('[data-testid="payment-desk-amount-due"]')?.textContent === text,
      [await money(remaining)]
    )
    const entries = widget.getByTestId("payment-desk-timeline-entry")
    expect(await entries.count()).toBe(order.audit.length + 1)
    expect(await entries.first().innerText()).toContain("COURIER-RECEIPT-17")
    expect(await widget.getByTestId("payment-desk-received").innerText()).toBe(await money(partial))

    // The server agrees: one receipt, recorded once.
    const after = await store.api<Summary>(`/admin/payment-desk/orders/${order.order_id}`)
    expect(after.paid_total).toBe(partial)
    expect(after.outstanding_amount).toBe(remaining)
    expect(after.audit).toHaveLength(order.audit.length + 1)
    expect(after.audit[0]).toMatchObject({ amount: partial, method: "cash-on-delivery", reference: "COURIER-RECEIPT-17" })

    // Let the confirmation toast go so the screenshot shows the timeline.
    await page.getByText("Payment recorded", { exact: true }).waitFor({ state: "detached", timeout: 20_000 })
    await widget.scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(ARTIFACTS, "record-payment.png") })
    await page.close()
  })

  it("issues a partial refund through the widget and shows the ledger row", async () => {
    const { orders } = await store.api<{ orders: { id: string }[] }>("/admin/orders?fields=id&limit=50")
    const summaries = await Promise.all(
      orders.map((order) => store.api<Summary & { refundable_amount: number; refunds: unknown[] }>(`/admin/payment-desk/orders/${order.id}`))
    )
    const paid = summaries.find((s) => s.payment_method === "bank-transfer" && s.outstanding_amount === 0 && s.paid_total > 0 && s.status !== "canceled")!
    expect(paid).toBeDefined()

    const page = await store.adminPage()
    await page.goto(`${store.url}/app/orders/${paid.order_id}`)
    const widget = page.getByTestId("payment-desk-order-widget")
    await widget.getByTestId("payment-desk-refundable").waitFor({ timeout: 60_000 })
    await widget.getByTestId("payment-desk-refund-open").click()
    const drawer = page.getByRole("dialog")
    await drawer.getByLabel("Amount (EUR)").fill("10")
    await drawer.getByLabel("Note").fill("Scratched cover")
    await drawer.getByTestId("payment-desk-refund-submit").click()
    const confirm = page.getByRole("alertdialog")
    expect(await confirm.innerText()).toContain("(EUR)")
    await confirm.getByRole("button", { name: "Refund" }).click()
    await drawer.waitFor({ state: "detached" })

    const row = widget.getByTestId("payment-desk-refund-row").first()
    await row.waitFor()
    expect(await row.innerText()).toContain("Awaiting payout")
    const after = await store.api<{ refundable_amount: number; refunded_total: number; refunds: { status: string; amount: number }[] }>(
      `/admin/payment-desk/orders/${paid.order_id}`
    )
    expect(after.refunds).toHaveLength(1)
    expect(after.refunds[0]).toMatchObject({ status: "awaiting_payout", amount: 10 })
    expect(after.refundable_amount).toBe(paid.refundable_amount - 10)
    expect(after.refunded_total).toBe(10)
    // The widget reads the books as Medusa keeps them: refunded money is not due again.
    await widget.getByTestId("payment-desk-refunded").waitFor()
    expect(await widget.getByTestId("payment-desk-refunded").innerText()).toContain("10.00")
    expect(await widget.getByTestId("payment-desk-amount-due").innerText()).toContain("0.00")
    expect(await widget.getByTestId("payment-desk-record-open").isDisabled()).toBe(true)

    await page.getByText("Refund issued", { exact: true }).waitFor({ state: "detached", timeout: 20_000 })
    await widget.scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(ARTIFACTS, "refund-ledger.png") })
    await page.close()
  })

  it("closes an order through the widget and shows the closure and the counters", async () => {
    const { orders } = await store.api<{ orders: { id: string }[] }>("/admin/orders?fields=id&limit=50")
    const summaries = await Promise.all(
      orders.map((order) => store.api<Summary & { pay_by: string | null; closure: unknown }>(`/admin/payment-desk/orders/${order.id}`))
    )
    // An unpaid bank transfer (the demo's overdue order is partly paid, so it stays open for the merchant).
    const overdue = summaries.find((s) => s.payment_method === "bank-transfer" && s.paid_total === 0 && s.status !== "canceled" && !!s.pay_by)!
    expect(overdue).toBeDefined()

    const page = await store.adminPage()
    await page.goto(`${store.url}/app/orders/${overdue.order_id}`)
    const widget = page.getByTestId("payment-desk-order-widget")
    await widget.getByTestId("payment-desk-close-open").waitFor({ timeout: 60_000 })
    await widget.getByTestId("payment-desk-close-open").click()
    const drawer = page.getByRole("dialog")
    await drawer.getByLabel("Note").fill("Transfer never arrived")
    await drawer.getByTestId("payment-desk-close-submit").click()
    const confirm = page.getByRole("alertdialog")
    expect(await confirm.innerText()).toContain("Nothing was paid")
    await confirm.getByRole("button", { name: "Close order" }).click()
    // The confirmation toast shows although the drawer goes as the order closes.
    await page.getByText("Order closed", { exact: true }).first().waitFor({ state: "visible", timeout: 20_000 })
    await drawer.waitFor({ state: "detached" })
    const closure = widget.getByTestId("payment-desk-closure")
    await closure.waitFor()
    expect(await closure.innerText()).toContain("Customer request")
    expect(await closure.innerText()).toContain("Transfer never arrived")

    const after = await store.api<{ status: string; closure: { reason: string; actor_type: string } }>(
      `/admin/payment-desk/orders/${overdue.order_id}`
    )
    expect(after.status).toBe("canceled")
    expect(after.closure).toMatchObject({ reason: "customer_request", actor_type: "user" })
    await page.getByText("Order closed", { exact: true }).first().waitFor({ state: "detached", timeout: 20_000 })
    await widget.scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(ARTIFACTS, "close-order.png") })

    // The Closed orders list (needs GET /admin/payment-desk/closures) names the order and the reason in words.
    await page.goto(`${store.url}/app/payment-desk/closed-orders`)
    await page.getByTestId("closed-orders-page").locator("tbody tr").first().waitFor({ timeout: 60_000 })
    const list = await page.getByTestId("closed-orders-page").innerText()
    expect(list).toContain("Customer request")
    expect(list).not.toContain("customer_request")
    await page.screenshot({ path: path.join(ARTIFACTS, "closure-counters.png") })
    await page.close()
  })
})
