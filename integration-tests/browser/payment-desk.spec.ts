import fs from "node:fs"
import path from "node:path"
import type { ConsoleMessage, Page } from "playwright-core"
import { ADMIN, RunningStore, startBrowserStore } from "../helpers/browser"

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

type Tree = { [key: string]: string | Tree }

/** A catalogue as "group.key" → text. */
function flatten(tree: Tree, prefix = ""): Record<string, string> {
  return Object.entries(tree).reduce<Record<string, string>>(
    (all, [key, value]) => (typeof value === "string" ? { ...all, [prefix + key]: value } : { ...all, ...flatten(value, `${prefix}${key}.`) }),
    {}
  )
}

type Summary = {
  order_id: string
  display_id: number
  outstanding_amount: number
  paid_total: number
  status: string
  payment_method: string | null
}

// A second admin who may record payments but not refund (plugin option `permissions.refund`).
const CLERK = { email: "clerk@payment-desk.test", password: "supersecret" }

describe("the Payment desk area", () => {
  let store: RunningStore
  const consoleErrors: string[] = []
  const failedDeskCalls: string[] = []

  beforeAll(async () => {
    store = await startBrowserStore("desk", {
      env: { PAYMENT_DESK_OPTIONS: JSON.stringify({ permissions: { refund: [ADMIN.email] } }) },
      users: [CLERK],
    })
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
    // At 1280 px every cell shows all it holds: nothing cut off ("Refun", "Paym" before the journal).
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.waitForTimeout(300)
    const clipped = await audit.locator("tbody td").evaluateAll((cells) =>
      cells
        .flatMap((cell) => [cell, ...cell.querySelectorAll("*")])
        .filter((node) => node.scrollWidth > node.clientWidth + 1 && (node.textContent ?? "").trim())
        .map((node) => (node.textContent ?? "").trim().slice(0, 60))
    )
    expect(clipped).toEqual([])
    await page.setViewportSize({ width: 1440, height: 900 })

    await audit.locator("input").first().fill("DESK-LIST-1")
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="audit-page"] tbody tr').length === 1,
      undefined,
      { timeout: 20_000 }
    )
    const downloaded = async (testId: string) => {
      const [download] = await Promise.all([page.waitForEvent("download"), audit.getByTestId(testId).click()])
      return fs.readFileSync((await download.path())!, "utf8")
    }
    const fromApi = async (query: string) => {
      const response = await fetch(`${store.url}/admin/payment-desk/audit/export?q=DESK-LIST-1${query}`, {
        headers: { authorization: `Bearer ${await store.adminToken()}` },
      })
      expect(response.status).toBe(200)
      return response.text()
    }
    // The readable export: words, the order number, the amount as people write it.
    const readable = await downloaded("audit-export")
    // The file starts with a byte order mark (fetch's text() drops it when decoding).
    expect(readable.charCodeAt(0)).toBe(0xfeff)
    expect(readable.slice(1)).toBe(await fromApi("&format=readable&language=en"))
    const lines = readable.slice(1).trim().split(/\r?\n/)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toBe("When,Event,Order,Amount,Method,Reference,By,Source,Note")
    expect(lines[1]).toMatch(/,Payment recorded,#\d+,"?€[\d,.]+"?,Bank transfer,DESK-LIST-1,Demo Admin,Payment desk,/)
    // The raw export: field names and values as stored.
    const raw = await downloaded("audit-export-raw")
    expect(raw).toBe(await fromApi(""))
    const rows = raw.trim().split(/\r?\n/)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(/^id,created_at,source,action,/)
    expect(rows[1]).toContain("DESK-LIST-1")
    await page.close()
  })

  it("audit: Next and Prev page by keyset: each page after the last one's cursor, no offset", async () => {
    // 120 entries only the search "PAGE-TEST" finds, one second apart; pages of 50.
    await store.sql(`
      insert into payment_desk_audit_entry (id, order_id, action, source, actor_type, actor_id, amount, raw_amount, currency_code, method, reference, reference_key, created_at)
      select 'pdaud_page_' || lpad(i::text, 3, '0'), 'order_page_test', 'payment_recorded', 'payment_desk', 'system', 'bulk', 1,
             jsonb_build_object('value', '1', 'precision', 20), 'eur', 'cash', 'PAGE-TEST-' || lpad(i::text, 3, '0'), 'PAGE-TEST-' || lpad(i::text, 3, '0'),
             timestamptz '2025-01-01T00:00:00Z' + (i || ' seconds')::interval
      from generate_series(1, 120) as i`)
    const page = await deskPage()
    const requests: string[] = []
    page.on("request", (request) => {
      if (request.url().includes("/admin/payment-desk/audit?")) requests.push(decodeURIComponent(request.url()))
    })
    await page.goto(`${store.url}/app/payment-desk/audit`)
    const audit = page.getByTestId("audit-page")
    await audit.locator("tbody tr").first().waitFor({ timeout: 60_000 })
    await audit.locator("input").first().fill("page-test")
    const references = async (count: number, first: string) => {
      await page.waitForFunction(
        ({ count, first }) => {
          const rows = [...document.querySelectorAll('[data-testid="audit-page"] tbody tr')]
          return rows.length === count && (rows[0]?.textContent ?? "").includes(first)
        },
        { count, first },
        { timeout: 20_000 }
      )
      return audit.locator("tbody tr").evaluateAll((rows) => rows.map((row) => /PAGE-TEST-\d+/.exec(row.textContent ?? "")?.[0]))
    }
    const first = await references(50, "PAGE-TEST-120")
    expect(first[49]).toBe("PAGE-TEST-071")
    await audit.getByRole("button", { name: "Next" }).click()
    const second = await references(50, "PAGE-TEST-070")
    expect(second[49]).toBe("PAGE-TEST-021")
    await audit.getByRole("button", { name: "Next" }).click()
    const third = await references(20, "PAGE-TEST-020")
    expect(third).toEqual(Array.from({ length: 20 }, (_, i) => `PAGE-TEST-${String(20 - i).padStart(3, "0")}`))
    // Pages two and three were read after a cursor, never by an offset.
    const paged = requests.filter((url) => url.includes("q=page-test"))
    expect(paged.filter((url) => url.includes("after="))).toHaveLength(2)
    expect(paged.filter((url) => /offset=[1-9]/.test(url))).toEqual([])
    await audit.getByRole("button", { name: "Prev" }).click()
    await page.waitForFunction(
      () => ([...document.querySelectorAll('[data-testid="audit-page"] tbody tr')][0]?.textContent ?? "").includes("PAGE-TEST-070"),
      undefined,
      { timeout: 20_000 }
    )
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

  it("the widget's figures are Medusa's own on the same page: Order Total and Total paid by customer after a refund, its payout and the close", async () => {
    // The order the first test refunded €10 of (awaiting its payout).
    const refunded = (await summaries()).find((s) => s.payment_method === "bank-transfer" && s.status !== "canceled" && (s as Summary & { refunded_total: number }).refunded_total > 0)!
    expect(refunded).toBeDefined()
    const page = await deskPage()
    await page.goto(`${store.url}/app/orders/${refunded.order_id}`)
    const widget = page.getByTestId("payment-desk-order-widget")
    await widget.getByTestId("payment-desk-paid-by-customer").waitFor({ timeout: 60_000 })
    await page.waitForLoadState("networkidle")
    // Medusa's own rows: "Order Total" in its Summary section, "Total paid by customer" in its Payments section.
    const medusaValue = async (label: string) => {
      const row = page.locator("div.flex.items-center.justify-between", { has: page.getByText(label, { exact: true }) }).last()
      return (await row.innerText()).replace(label, "").trim()
    }
    const [orderTotal, paidByCustomer] = [await medusaValue("Order Total"), await medusaValue("Total paid by customer")]
    expect(orderTotal).toMatch(/^€\d/)
    // The same figures; Medusa's two sections write them two ways ("€109.98", "€ 40.00 EUR"), the widget as its Summary does.
    const figure = (text: string) => text.replace(/[^\d.]/g, "")
    expect({
      total: await widget.getByTestId("payment-desk-total").innerText(),
      paid: figure(await widget.getByTestId("payment-desk-paid-by-customer").innerText()),
      refunded: await widget.getByTestId("payment-desk-refunded").innerText(),
    }).toEqual({
      total: orderTotal,
      paid: figure(paidByCustomer),
      refunded: expect.stringMatching(/^€\d+\.\d\d \(€\d+\.\d\d awaiting payout\)$/),
    })
    await widget.scrollIntoViewIfNeeded()
    await shoot(page, "order-widget-en")

    // Once the payout is recorded, and once the order is closed (what was left refunded), the same figures as Medusa's again.
    const again = async () => {
      await page.reload()
      await widget.getByTestId("payment-desk-paid-by-customer").waitFor({ timeout: 60_000 })
      await page.waitForLoadState("networkidle")
      return {
        widget: [await widget.getByTestId("payment-desk-total").innerText(), figure(await widget.getByTestId("payment-desk-paid-by-customer").innerText())],
        medusa: [await medusaValue("Order Total"), figure(await medusaValue("Total paid by customer"))],
      }
    }
    const { refunds } = await store.api<{ refunds: { id: string; status: string }[] }>(`/admin/payment-desk/orders/${refunded.order_id}`)
    const awaiting = refunds.find((refund) => refund.status === "awaiting_payout")!
    await store.api(`/admin/payment-desk/refunds/${awaiting.id}/payout`, {
      method: "POST",
      headers: { "idempotency-key": "desk-spec-payout-1" },
      body: JSON.stringify({ reference: "PAYOUT-DESK-1" }),
    })
    const paidOut = await again()
    expect(paidOut.widget).toEqual(paidOut.medusa)
    await store.api(`/admin/payment-desk/orders/${refunded.order_id}/close`, { method: "POST", body: JSON.stringify({ reason: "other" }) })
    const closed = await again()
    expect(closed.widget).toEqual(closed.medusa)
    await page.close()
  })

  it("every plugin page and the widget speak German and Chinese: no English left, no raw ids or codes", async () => {
    const order = (await summaries()).find((s) => s.payment_method === "bank-transfer" && s.outstanding_amount > 0 && s.status !== "canceled")!
    expect(order).toBeDefined()
    const withActivity = (await summaries()).find((s) => s.payment_method === "bank-transfer" && s.paid_total > 0 && s.status !== "canceled")!
    const english = flatten(JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../src/admin/i18n/json/en.json"), "utf8")))
    const expectations: [string, string, string, string, string][] = [
      ["de", "de.json", "Zahlungseingänge", "Offener Betrag", "Überweisung"],
      ["zhCN", "zh-cn.json", "收款情况", "应付金额", "银行转账"],
    ]
    const pages = ["payment-desk", "payment-desk/awaiting-payment", "payment-desk/bank-statements", "payment-desk/refunds", "payment-desk/closed-orders", "payment-desk/cancellation-requests", "payment-desk/audit", "payment-desk/settings"]
    const leftovers: string[] = []
    for (const [language, file, title, amountDue, method] of expectations) {
      const translated = flatten(JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../src/admin/i18n/json/${file}`), "utf8")))
      const same = new Set(Object.values(translated))
      // An English string the language says otherwise, as a pattern over one text node ("{{count}} hours" → /^.+ hours$/).
      const englishOnly = Object.entries(english)
        .filter(([key, value]) => translated[key.replace(/_one$/, "_other")] !== value && !same.has(value))
        .map(([, value]) => value)
        .filter((value) => value.replace(/\{\{\w+\}\}/g, "").replace(/[^A-Za-z]/g, "").length >= 4)
        .map((value) => new RegExp(`^${value.split(/\{\{\w+\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".+")}$`))
      const page = await deskPage(language)
      const check = async (where: string, selector: string) => {
        const texts = await page.locator(selector).first().evaluate((root) => {
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
          const found: string[] = []
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent?.trim()
            const parent = node.parentElement
            if (text && parent && parent.getClientRects().length > 0) found.push(text)
          }
          return found
        })
        for (const text of texts) {
          const plain = text.replace(/\S+@\S+/g, "")
          if (RAW_ID.test(text)) leftovers.push(`${language} ${where}: raw id in "${text}"`)
          if (/\b[a-z0-9]+_[a-z0-9_]+\b/.test(plain) || CODES.test(plain)) leftovers.push(`${language} ${where}: code in "${text}"`)
          if (englishOnly.some((pattern) => pattern.test(text))) leftovers.push(`${language} ${where}: English "${text}"`)
        }
      }
      for (const route of pages) {
        await page.goto(`${store.url}/app/${route}`)
        await page.locator("main h1").first().waitFor({ timeout: 60_000 })
        await page.waitForLoadState("networkidle")
        await check(route, "main")
        if (route === "payment-desk/closed-orders" || route === "payment-desk/audit") {
          await shoot(page, `${route.replace("payment-desk/", "")}-${language}`)
        }
      }
      for (const target of [order, withActivity]) {
        await page.goto(`${store.url}/app/orders/${target.order_id}`)
        const widget = page.getByTestId("payment-desk-order-widget")
        await widget.getByTestId("payment-desk-amount-due").waitFor({ timeout: 60_000 })
        await page.waitForLoadState("networkidle")
        await check(`widget of #${target.display_id}`, '[data-testid="payment-desk-order-widget"]')
      }
      // The unpaid order: its words, its method, and the widget first in its column.
      await page.goto(`${store.url}/app/orders/${order.order_id}`)
      const widget = page.getByTestId("payment-desk-order-widget")
      await widget.getByTestId("payment-desk-amount-due").waitFor({ timeout: 60_000 })
      const text = await widget.innerText()
      expect(text).toContain(title)
      expect(text).toContain(amountDue)
      expect(await widget.getByTestId("payment-desk-method").innerText()).toBe(method)
      const first = await widget.evaluate((element) => {
        const siblings = [...(element.parentElement?.children ?? [])]
        const top = (node: Element) => node.getBoundingClientRect().top
        return siblings.every((sibling) => sibling === element || top(sibling) > top(element))
      })
      expect(first).toBe(true)
      await widget.scrollIntoViewIfNeeded()
      await shoot(page, `order-widget-${language}`)
      await page.close()
    }
    expect(leftovers).toEqual([])
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

  it("audits a capture made with Medusa's own route: the Audit page shows it, from Medusa", async () => {
    const due = (await summaries()).find((s) => s.status !== "canceled" && s.outstanding_amount >= 10 && s.payment_method === "bank-transfer")!
    const payment = (due as Summary & { payments: { id: string }[] }).payments[0]
    await store.api(`/admin/payments/${payment.id}/capture`, { method: "POST", body: JSON.stringify({ amount: 10 }) })
    let entries: { source: string; action: string; order_id: string }[] = []
    for (let i = 0; i < 40 && !entries.length; i++) {
      entries = (await store.api<{ audit_entries: typeof entries }>(`/admin/payment-desk/audit?order_id=${due.order_id}&source=medusa`)).audit_entries
      if (!entries.length) await new Promise((resolve) => setTimeout(resolve, 500))
    }
    expect(entries).toEqual([expect.objectContaining({ action: "medusa_capture", source: "medusa" })])

    const page = await deskPage()
    await page.goto(`${store.url}/app/payment-desk/audit`)
    const row = page.locator("tbody tr").filter({ hasText: `#${due.display_id}` }).filter({ hasText: "Medusa" }).first()
    await row.waitFor({ timeout: 60_000 })
    expect(await row.innerText()).not.toMatch(RAW_ID)
    await page.close()
  })

  it("a user without the refund permission sees no Refund button and is refused by the route", async () => {
    const paid = (await summaries()).find((s) => s.status !== "canceled" && s.paid_total > 0 && s.payment_method === "bank-transfer")!
    const page = await store.adminPage(CLERK)
    page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`))
    await page.goto(`${store.url}/app/orders/${paid.order_id}`)
    const widget = page.getByTestId("payment-desk-order-widget")
    await widget.waitFor({ timeout: 60_000 })
    // The widget has its summary (and the caller's `can`) once the page is idle.
    await page.waitForLoadState("networkidle")
    expect(await page.getByTestId("payment-desk-refund-open").count()).toBe(0)
    const admin = await store.adminPage()
    await admin.goto(`${store.url}/app/orders/${paid.order_id}`)
    await admin.getByTestId("payment-desk-refund-open").waitFor({ timeout: 60_000 })
    await admin.close()

    const refused = await fetch(`${store.url}/admin/payment-desk/orders/${paid.order_id}/refunds`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await store.tokenOf(CLERK)}` },
      body: JSON.stringify({ amount: 1 }),
    })
    expect(refused.status).toBe(403)
    expect((await refused.json()).message).toContain("refund")
    await page.close()
  })

  it("left no console errors and no failed Payment desk calls", () => {
    expect(consoleErrors).toEqual([])
    expect(failedDeskCalls).toEqual([])
  })
})
