import fs from "node:fs"
import path from "node:path"
import type { ConsoleMessage, Page } from "playwright-core"
import { RunningStore, startBrowserStore } from "../helpers/browser"

jest.setTimeout(600_000)

// The Payment desk area as a cashier uses it, in three languages. Routes it
// needs from the server: GET /admin/payment-desk/awaiting-payment (list),
// /closures, /counters?days=, /audit (+ /audit/export), /settings,
// /cancellation-requests (a 404 there is an expected empty state).

const SCREENSHOTS = path.resolve(__dirname, "../../docs/screenshots")
const RAW_ID = /_01[0-9A-Z]{6,}/
// Codes that must never reach a merchant's eyes: counter keys, reasons,
// statuses, actions, provider and method ids.
const CODES =
  /\b(closed_reason|closed_by|closed_method|payment_timeouts?|refund_failures|by_reason|by_actor|by_method|top_customers|customer_request|out_of_stock|fraud_suspected|awaiting_payout|requires_action|payment_recorded|refund_[a-z_]+|order_closed|payment_overdue|payment_desk|pp_[a-z_-]+|bank-transfer|cash-on-delivery|paymentDesk\.[a-zA-Z.]+)\b/

type Summary = {
  order_id: string
  display_id: number
  outstanding_amount: number
  paid_total: number
  status: string
  payment_method: string | null
}

describe("the Payment desk area", () => {
  let store: RunningStore
  const consoleErrors: string[] = []
  const failedDeskCalls: string[] = []

  beforeAll(async () => {
    store = await startBrowserStore("desk")
    fs.mkdirSync(SCREENSHOTS, { recursive: true })
  })

  afterAll(async () => {
    await store?.stop()
  })

  /** A logged-in page at 1440×900 in `language`, recording console errors and failed plugin calls. */
  async function deskPage(language = "en"): Promise<Page> {
    const page = await store.adminPage()
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.context().addCookies([{ name: "lng", value: language, url: store.url }])
    page.on("console", (message: ConsoleMessage) => {
      // A failed fetch is reported below, per route, with its status.
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        consoleErrors.push(`${page.url()}: ${message.text()}`)
      }
    })
    page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`))
    page.on("response", (response) => {
      const url = response.url()
      if (url.includes("/admin/payment-desk/") && response.status() >= 400 && !url.includes("/cancellation-requests")) {
        failedDeskCalls.push(`${response.status()} ${url.replace(store.url, "")}`)
      }
    })
    return page
  }

  async function scan(page: Page, selector: string) {
    const text = await page.locator(selector).first().innerText()
    expect(text).not.toMatch(RAW_ID)
    expect(text.replace(/\S+@\S+/g, "")).not.toMatch(CODES)
    return text
  }

  async function shoot(page: Page, name: string) {
    await page.waitForTimeout(500)
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })
  }

  async function summaries(): Promise<Summary[]> {
    const { orders } = await store.api<{ orders: { id: string }[] }>("/admin/orders?fields=id&limit=50")
    return Promise.all(orders.map((order) => store.api<Summary>(`/admin/payment-desk/orders/${order.id}`)))
  }

  it("awaiting payment: records a payment from the list and the row leaves", async () => {
    const page = await deskPage()
    await page.goto(`${store.url}/app/payment-desk/awaiting-payment`)
    const list = page.getByTestId("awaiting-payment-page")
    const firstRow = list.locator("tbody tr").first()
    await firstRow.getByTestId("awaiting-record").waitFor({ timeout: 60_000 })
    // Overdue first, highlighted.
    const overdueBadges = await list.getByTestId("awaiting-overdue").count()
    expect(overdueBadges).toBeGreaterThan(0)
    expect(await firstRow.getByTestId("awaiting-overdue").count()).toBe(1)
    expect(await page.locator("ol li").filter({ hasText: "Payment desk" }).count()).toBeGreaterThan(0)
    await scan(page, "main")
    await shoot(page, "awaiting-payment")

    const order = (await firstRow.locator("a[href*='/orders/']").first().innerText()).trim()
    expect(order).toMatch(/^#\d+$/)
    const before = (await summaries()).find((s) => `#${s.display_id}` === order)!
    expect(before.outstanding_amount).toBeGreaterThan(0)

    await firstRow.getByTestId("awaiting-record").click()
    const drawer = page.getByRole("dialog")
    await drawer.getByLabel("Amount (EUR)").waitFor()
    expect(await drawer.getByLabel("Amount (EUR)").inputValue()).toBe(String(before.outstanding_amount))
    await drawer.getByLabel("Reference").fill("DESK-LIST-1")
    await drawer.getByTestId("payment-desk-record-submit").click()
    const confirm = page.getByRole("alertdialog")
    await confirm.waitFor()
    await confirm.getByRole("button", { name: "Record payment" }).click()
    await drawer.waitFor({ state: "detached" })
    await page.waitForFunction(
      (label) =>
        ![...document.querySelectorAll('[data-testid="awaiting-payment-page"] tbody tr a')].some(
          (link) => link.textContent?.trim() === label
        ),
      order,
      { timeout: 20_000 }
    )
    const after = await store.api<Summary>(`/admin/payment-desk/orders/${before.order_id}`)
    expect(after.outstanding_amount).toBe(0)
    expect(after.paid_total).toBe(before.outstanding_amount + before.paid_total)
    await page.close()
  })

  it("audit: the CSV export downloads what is filtered, as the API exports it", async () => {
    const page = await deskPage()
    await page.goto(`${store.url}/app/payment-desk/audit`)
    const audit = page.getByTestId("audit-page")
    await audit.locator("tbody tr").first().waitFor({ timeout: 60_000 })
    await scan(page, "main")
    await shoot(page, "audit")

    await audit.locator("input").first().fill("DESK-LIST-1")
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="audit-page"] tbody tr').length === 1,
      undefined,
      { timeout: 20_000 }
    )
    const [download] = await Promise.all([page.waitForEvent("download"), audit.getByTestId("audit-export").click()])
    const csv = fs.readFileSync((await download.path())!, "utf8")
    const response = await fetch(`${store.url}/admin/payment-desk/audit/export?q=DESK-LIST-1`, {
      headers: { authorization: `Bearer ${await store.adminToken()}` },
    })
    expect(response.status).toBe(200)
    const fromApi = await response.text()
    expect(csv).toBe(fromApi)
    const rows = csv.trim().split(/\r?\n/)
    expect(rows).toHaveLength(2)
    expect(rows[1]).toContain("DESK-LIST-1")
    await page.close()
  })

  it("every page has a title and a breadcrumb, shows words rather than codes, and is photographed", async () => {
    // A manual refund awaiting its payout, so the Refunds list has a row to show.
    const paid = (await summaries()).find((s) => s.payment_method === "bank-transfer" && s.paid_total > 0 && s.status !== "canceled")!
    expect(paid).toBeDefined()
    await store.api(`/admin/payment-desk/orders/${paid.order_id}/refunds`, {
      method: "POST",
      headers: { "idempotency-key": "desk-spec-refund-1" },
      body: JSON.stringify({ amount: 10, note: "Scratched cover" }),
    })
    const page = await deskPage()
    const pages: [string, string, string][] = [
      ["payment-desk", "Payment desk", "payment-desk"],
      ["payment-desk/refunds", "Refunds", "refunds"],
      ["payment-desk/closed-orders", "Closed orders", "closed-orders"],
      ["payment-desk/cancellation-requests", "Cancellation requests", "cancellation-requests"],
      ["payment-desk/settings", "Settings", "settings"],
    ]
    for (const [route, title, shot] of pages) {
      await page.goto(`${store.url}/app/${route}`)
      await page.getByRole("heading", { level: 1, name: title }).waitFor({ timeout: 60_000 })
      // Let the lists answer before scanning and photographing.
      await page.waitForLoadState("networkidle")
      await scan(page, "main")
      if (route === "payment-desk/refunds") {
        const row = page.locator("main tbody tr").first()
        expect(await row.innerText()).toContain(`#${paid.display_id}`)
        expect(await row.innerText()).toContain("Bank transfer")
        expect(await row.innerText()).toContain("Awaiting payout")
      }
      const crumbs = await page.locator("ol").first().innerText()
      expect(crumbs).toContain("Payment desk")
      expect(crumbs).toContain(title)
      await shoot(page, shot)
    }
    // The sidebar has one "Payment desk" entry.
    expect(await page.locator("nav a:visible", { hasText: /^Payment desk$/ }).count()).toBe(1)
    await page.close()
  })

  it("the order widget speaks German and Chinese, sits first in the side column, and hides raw ids", async () => {
    const order = (await summaries()).find((s) => s.payment_method === "bank-transfer" && s.outstanding_amount > 0 && s.status !== "canceled")!
    expect(order).toBeDefined()
    const expectations: [string, string, string, string][] = [
      ["en", "Payments received", "Amount due", "Bank transfer"],
      ["de", "Zahlungseingänge", "Offener Betrag", "Überweisung"],
      ["zhCN", "收款情况", "应付金额", "银行转账"],
    ]
    for (const [language, title, amountDue, method] of expectations) {
      const page = await deskPage(language)
      await page.goto(`${store.url}/app/orders/${order.order_id}`)
      const widget = page.getByTestId("payment-desk-order-widget")
      await widget.getByTestId("payment-desk-amount-due").waitFor({ timeout: 60_000 })
      const text = await scan(page, '[data-testid="payment-desk-order-widget"]')
      expect(text).toContain(title)
      expect(text).toContain(amountDue)
      expect(await widget.getByTestId("payment-desk-method").innerText()).toBe(method)
      // First in its column, above the core Customer and Activity sections.
      const first = await widget.evaluate((element) => {
        const siblings = [...(element.parentElement?.children ?? [])]
        const top = (node: Element) => node.getBoundingClientRect().top
        return siblings.every((sibling) => sibling === element || top(sibling) > top(element))
      })
      expect(first).toBe(true)
      if (language !== "en") {
        await page.goto(`${store.url}/app/payment-desk/closed-orders`)
        await page.getByTestId("closed-orders-page").waitFor({ timeout: 60_000 })
        await page.waitForLoadState("networkidle")
        await scan(page, "main")
        await shoot(page, `closed-orders-${language}`)
        await page.goto(`${store.url}/app/orders/${order.order_id}`)
        await widget.getByTestId("payment-desk-amount-due").waitFor({ timeout: 60_000 })
      }
      await widget.scrollIntoViewIfNeeded()
      await shoot(page, `order-widget-${language}`)
      await page.close()
    }
  })

  it("record payment checks the amount before asking: an inline error, no confirmation", async () => {
    const order = (await summaries()).find((s) => s.outstanding_amount > 0 && s.status !== "canceled")!
    const page = await deskPage()
    await page.goto(`${store.url}/app/orders/${order.order_id}`)
    const widget = page.getByTestId("payment-desk-order-widget")
    await widget.getByTestId("payment-desk-record-open").click({ timeout: 60_000 })
    const drawer = page.getByRole("dialog")
    await drawer.getByLabel("Amount (EUR)").fill(String(order.outstanding_amount + 5))
    await drawer.getByTestId("payment-desk-record-submit").click()
    await drawer.getByTestId("payment-desk-record-amount-error").waitFor()
    expect(await drawer.getByTestId("payment-desk-record-amount-error").innerText()).toContain("more than the outstanding amount")
    expect(await page.getByRole("alertdialog").count()).toBe(0)
    // The drawer describes itself to assistive technology.
    expect(await drawer.getAttribute("aria-describedby")).toBeTruthy()
    await page.close()
  })

  it("left no console errors and no failed Payment desk calls", () => {
    expect(consoleErrors).toEqual([])
    expect(failedDeskCalls).toEqual([])
  })
})
