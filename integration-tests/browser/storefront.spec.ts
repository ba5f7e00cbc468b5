// The customer's side in Medusa's own storefront: the pinned dtc-starter
// with the plugin's integration applied as docs/storefront.md says, built
// with `next build` against a store with the plugin, and a customer in
// Chromium. scripts/test.mjs prepares the storefront (copy, npm ci, the
// docs' commands) beside the first suites; run alone, the spec prepares it.
import fs from "node:fs"
import path from "node:path"
import jsQR from "jsqr"
import { PNG } from "pngjs"
import type { Page } from "playwright-core"
import { ARTIFACTS, freePort, RunningStore, startBrowserStore } from "../helpers/browser"

// eslint-disable-next-line @typescript-eslint/no-require-imports
const storefront = require("../../scripts/lib/storefront.cjs")
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packPlugin } = require("../../scripts/lib/pack.cjs")

jest.setTimeout(600_000)

const SCREENSHOTS = path.resolve(__dirname, "../../docs/screenshots/storefront")
const CUSTOMER = { email: "shopper@example.com", password: "shopper-secret-1" }
const ADDRESS = { first_name: "Erika", last_name: "Mustermann", address_1: "Hauptstraße 5", postal_code: "10115", city: "Berlin" }

const log = (message: string) => process.stdout.write(`[storefront] ${message}\n`)

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now()
  const result = await step()
  log(`${label} ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return result
}

type OrderPayment = {
  status: string
  amount_due: number
  paid_total: number
  reference: string | null
  epc_payload: string | null
}

describe("the dtc-starter storefront with the plugin's integration", () => {
  let store: RunningStore
  let site: { url: string; stop: () => Promise<void> }
  let page: Page
  let output = ""

  beforeAll(async () => {
    const tarball = await timed("pack", () => packPlugin({ log }))
    const prepared = timed("prepare", () => storefront.prepareStorefront({ tarball, log }))
    const sitePort = await freePort()
    const siteUrl = `http://localhost:${sitePort}`
    store = await startBrowserStore("storefront", {
      env: {
        // A paid order's cancellation is requested, and the merchant answers it.
        PAYMENT_DESK_OPTIONS: JSON.stringify({ store_close: "request" }),
        STORE_CORS: siteUrl,
      },
    })
    // Medusa's own manual provider beside the plugin's, for the checkout the integration must leave alone.
    const { regions } = await store.api<{ regions: { id: string; payment_providers: { id: string }[] }[] }>(
      "/admin/regions?fields=id,*payment_providers"
    )
    const region = regions[0]
    await store.api(`/admin/regions/${region.id}`, {
      method: "POST",
      body: JSON.stringify({ payment_providers: [...region.payment_providers.map((p) => p.id), "pp_system_default"] }),
    })
    // The demo store's key (its sales channel has the products), not Medusa's default one.
    const { api_keys } = await store.api<{ api_keys: { token: string; title: string }[] }>("/admin/api-keys?type=publishable")
    const publishableKey = api_keys.find((key) => key.title === "Payment Desk Demo")!.token
    const env = storefront.storefrontEnv({
      backendUrl: store.url,
      publishableKey,
      baseUrl: siteUrl,
      region: "de",
    })
    const dir = await prepared
    await timed("next build", () => storefront.buildStorefront({ dir, env, log }))
    site = await timed("next start", () =>
      storefront.startStorefront({ dir, env, port: sitePort, onOutput: (text: string) => (output = (output + text).slice(-20_000)) })
    )
    // The shopper has an account (registered over the store API) and logs in on the storefront.
    const pk = { "content-type": "application/json", "x-publishable-api-key": publishableKey }
    const registered = await (
      await fetch(`${store.url}/auth/customer/emailpass/register`, { method: "POST", headers: pk, body: JSON.stringify(CUSTOMER) })
    ).json()
    await fetch(`${store.url}/store/customers`, {
      method: "POST",
      headers: { ...pk, authorization: `Bearer ${registered.token}` },
      body: JSON.stringify({ email: CUSTOMER.email, first_name: ADDRESS.first_name, last_name: ADDRESS.last_name }),
    })
    const context = await store.browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: siteUrl })
    page = await context.newPage()
    page.setDefaultTimeout(30_000)
    // Not "networkidle": the account page never reaches it (a run waited 30 s in vain).
    await page.goto(`${site.url}/de/account`)
    const overview = page.locator("[data-testid=overview-page-wrapper]")
    await clickUntilAction(
      "Sign in",
      async () => {
        await page.getByTestId("email-input").fill(CUSTOMER.email)
        await page.getByTestId("password-input").fill(CUSTOMER.password)
        await page.getByTestId("sign-in-button").click()
      },
      // A form sent the browser's way may have signed in all the same.
      async () => (await overview.count()) > 0
    )
    await overview.waitFor()
    fs.mkdirSync(SCREENSHOTS, { recursive: true })
  })

  // A failed step leaves the page it failed on in test-artifacts/.
  afterEach(async () => {
    const state = expect.getState()
    if (page && state.currentTestName) {
      const name = state.currentTestName.replace(/[^a-z0-9]+/gi, "-").slice(-80)
      await page.screenshot({ path: path.join(ARTIFACTS, `storefront-${name}.png`), fullPage: true }).catch(() => {})
    }
  })

  afterAll(async () => {
    if (process.env.DEBUG_STOREFRONT) log(output)
    await site?.stop()
    await store?.stop()
  })

  /**
   * On a busy machine a button may be clicked before React has hydrated it, and then
   * nothing happens (the add-to-cart button), or the form is sent the browser's way
   * and comes back empty (the sign-in form: a CI run's six storefront tests failed
   * there). `act` (fill and click) runs until the click sends the starter's server
   * action (a POST with a Next-Action header), once; then its answer is awaited.
   * `done`, when given, ends it early (what the action leads to is there already).
   */
  async function clickUntilAction(what: string, act: () => Promise<void>, done?: () => Promise<boolean>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (done && (await done())) return
      const action = page.waitForRequest((request) => request.method() === "POST" && !!request.headers()["next-action"], {
        timeout: 5_000,
      })
      await act()
      const sent = await action.catch(() => null)
      if (sent) {
        await sent.response()
        return
      }
      if (attempt === 6) throw new Error(`${what} sent nothing in 6 clicks`)
    }
  }

  /** The customer adds the desk lamp and checks out with the payment method titled `method`; resolves with the order id. */
  async function checkout(method: string, screenshot?: string): Promise<string> {
    await page.goto(`${site.url}/de/products/desk-lamp`)
    await page.waitForLoadState("networkidle")
    await clickUntilAction("Add to cart", () => page.getByTestId("add-product-button").click())
    // The action answers once the line is in the cart (the dropdown it opens closes again by itself).
    await page.goto(`${site.url}/de/checkout?step=address`)
    // The checkout's summary lists the lamp: it is in this cart.
    await page.getByText("Desk lamp").first().waitFor()
    await page.getByTestId("shipping-first-name-input").fill(ADDRESS.first_name)
    await page.getByTestId("shipping-last-name-input").fill(ADDRESS.last_name)
    await page.getByTestId("shipping-address-input").fill(ADDRESS.address_1)
    await page.getByTestId("shipping-postal-code-input").fill(ADDRESS.postal_code)
    await page.getByTestId("shipping-city-input").fill(ADDRESS.city)
    await page.getByTestId("shipping-country-select").selectOption("de")
    const email = page.getByTestId("shipping-email-input")
    if (!(await email.inputValue())) await email.fill(CUSTOMER.email)
    await page.getByTestId("submit-address-button").click()
    await page.waitForURL(/step=delivery/)
    await page.getByTestId("delivery-option-radio").first().click()
    await page.getByTestId("submit-delivery-option-button").click()
    await page.waitForURL(/step=payment/)
    await page.getByRole("radio", { name: method }).click()
    if (screenshot) await page.screenshot({ path: path.join(SCREENSHOTS, screenshot), fullPage: true })
    await page.getByTestId("submit-payment-button").click()
    await page.waitForURL(/step=review/)
    // The review shows the method by its name, and a button that places the order.
    await expectText(page.getByTestId("payment-method-summary"), method)
    await page.getByTestId("submit-order-button").click()
    await page.waitForURL(/\/order\/[^/]+\/confirmed/)
    return page.url().match(/\/order\/([^/]+)\/confirmed/)![1]
  }

  /** Waits (up to the page's timeout) for the element to show `text`: a page refreshes after an action. */
  async function expectText(locator: ReturnType<Page["getByTestId"]>, text: string) {
    await locator.first().waitFor()
    await locator.filter({ hasText: text }).first().waitFor().catch(() => {})
    expect(await locator.first().innerText()).toContain(text)
  }

  const paymentOf = (orderId: string) => store.api<OrderPayment & Record<string, unknown>>(`/admin/payment-desk/orders/${orderId}`)

  async function recordPayment(orderId: string, amount: number) {
    await store.api(`/admin/payment-desk/orders/${orderId}/payments`, {
      method: "POST",
      body: JSON.stringify({ amount, method: "bank-transfer", reference: "statement line" }),
    })
  }

  async function openOrderPage(orderId: string) {
    await page.goto(`${site.url}/de/account/orders/details/${orderId}`)
    await page.getByTestId("payment-desk-order-payment").waitFor()
  }

  const section = () => page.getByTestId("payment-desk-order-payment")
  // From the top: scrolled down, the starter's sticky header would stand in the middle of a full-page shot.
  const shot = async (name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true })
  }

  let bankOrder: string

  it("checks out with Bank transfer and shows how to pay, with a QR code that holds the order's amount and reference", async () => {
    bankOrder = await checkout("Bank transfer", "checkout-payment.png")
    const summary = await paymentOf(bankOrder)
    await section().waitFor()
    await expectText(page.getByTestId("payment-desk-status"), "Awaiting payment")
    await expectText(page.getByTestId("payment-desk-due"), "€110.00")
    await expectText(page.getByTestId("bank-reference"), summary.reference!)
    await expectText(page.getByTestId("bank-iban"), "DE89 3704 0044 0532 0130 00")
    await expectText(page.getByTestId("bank-account-holder"), "Payment Desk Demo GmbH")
    await expectText(page.getByTestId("payment-desk-pay-by"), "Please pay by")
    // The QR code as the shopper's banking app sees it on the screen.
    const qr = page.getByTestId("payment-desk-qr")
    await qr.scrollIntoViewIfNeeded()
    const png = PNG.sync.read(await qr.screenshot())
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
    expect(decoded?.data).toBe(summary.epc_payload)
    const lines = decoded!.data.split("\n")
    expect(lines[7]).toBe("EUR110.00")
    expect(lines[9]).toBe(summary.reference)
    // Nothing asks the customer to pay twice: no "paid at" line of the starter's own.
    expect(await page.getByText(/paid at/).count()).toBe(0)
    await shot("confirmed-bank-transfer.png")
    // The copy buttons put what a banking app's fields take on the clipboard.
    await page.getByTestId("copy-iban").click()
    await expectText(page.getByTestId("copy-iban"), "Copied")
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("DE89370400440532013000")
    await page.getByTestId("copy-amount").click()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("110.00")
  })

  it("shows what is still due after a partial payment, then Paid", async () => {
    await recordPayment(bankOrder, 40)
    await openOrderPage(bankOrder)
    await expectText(page.getByTestId("payment-desk-status"), "Partially paid")
    await expectText(page.getByTestId("payment-desk-paid"), "€40.00")
    await expectText(page.getByTestId("payment-desk-due"), "€70.00")
    await expectText(page.getByTestId("bank-amount"), "€70.00")
    await shot("partially-paid.png")

    await recordPayment(bankOrder, 70)
    await page.reload()
    await expectText(page.getByTestId("payment-desk-status"), "Paid")
    await expectText(page.getByTestId("payment-desk-paid-on"), "Paid on")
    expect(await page.getByTestId("payment-desk-bank").count()).toBe(0)
    await shot("paid.png")
  })

  it("shows cash on delivery its own instructions and no bank block", async () => {
    const order = await checkout("Cash on delivery")
    await section().waitFor()
    await expectText(page.getByTestId("payment-method"), "Cash on delivery")
    await expectText(page.getByTestId("payment-desk-method-instructions"), "Pay the courier in cash")
    expect(await page.getByTestId("payment-desk-bank").count()).toBe(0)
    expect(await page.getByTestId("payment-desk-pay-by").count()).toBe(0)
    expect((await paymentOf(order)).status).toBeDefined()
    await shot("cash-on-delivery.png")
  })

  it("marks an order past its pay-by date overdue, and lets the customer cancel it while unpaid", async () => {
    const order = await checkout("Bank transfer")
    // Placed three days ago: the 48-hour window is over.
    await store.sql(`update "order" set created_at = now() - interval '3 days' where id = $1`, [order])
    await openOrderPage(order)
    await expectText(page.getByTestId("payment-desk-overdue"), "Overdue")
    await expectText(page.getByTestId("payment-desk-pay-by"), "Payment was due on")
    await shot("overdue.png")
    await page.getByTestId("payment-desk-close-button").click()
    await page.getByTestId("payment-desk-close-note").fill("Ordered twice by mistake")
    await page.getByTestId("payment-desk-close-confirm-button").click()
    await expectText(page.getByTestId("payment-desk-status"), "Closed")
    await expectText(page.getByTestId("payment-desk-closure"), "you asked us to cancel it")
    expect(await page.getByTestId("payment-desk-close-button").count()).toBe(0)
    const { order: core } = await store.api<{ order: { status: string } }>(`/admin/orders/${order}?fields=status`)
    expect(core.status).toBe("canceled")
    await shot("closed-by-customer.png")
  })

  it("asks the store to cancel a paid order, and shows the approval and the refund", async () => {
    await openOrderPage(bankOrder)
    await expectText(page.getByTestId("payment-desk-close-button"), "Request cancellation")
    await page.getByTestId("payment-desk-close-button").click()
    await page.getByTestId("payment-desk-close-confirm-button").click()
    await expectText(page.getByTestId("payment-desk-request"), "Cancellation requested")
    expect(await page.getByTestId("payment-desk-close-button").count()).toBe(0)
    await shot("cancellation-requested.png")

    const requests = await store.api<{ cancellation_requests: { id: string; order_id: string }[] }>(
      "/admin/payment-desk/cancellation-requests?status=open"
    )
    const request = requests.cancellation_requests.find((entry) => entry.order_id === bankOrder)!
    await store.api(`/admin/payment-desk/cancellation-requests/${request.id}/approve`, { method: "POST", body: "{}" })
    await page.reload()
    await expectText(page.getByTestId("payment-desk-status"), "Closed")
    await expectText(page.getByTestId("payment-desk-refund"), "Refund of €110.00")
    await shot("cancellation-approved.png")
  })

  it("leaves a checkout with Medusa's own manual provider as the starter has it", async () => {
    await checkout("Manual Payment")
    // The starter's own payment details, not the plugin's section.
    await page.getByTestId("payment-method").first().waitFor()
    expect(await page.getByTestId("payment-desk-order-payment").count()).toBe(0)
    await expectText(page.getByTestId("payment-method"), "Manual Payment")
    await expectText(page.getByTestId("payment-amount"), "paid at")
  })
})
