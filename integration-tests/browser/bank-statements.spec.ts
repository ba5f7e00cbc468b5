import fs from "node:fs"
import path from "node:path"
import type { Page } from "playwright-core"
import { ADMIN, RunningStore, startBrowserStore } from "../helpers/browser"

jest.setTimeout(420_000)

const SCREENSHOTS = path.resolve(__dirname, "../../docs/screenshots")
// The demo seed writes the statement into the project's .data folder (it runs from the project root).
const DEMO_STATEMENT = path.resolve(__dirname, "../../.data/demo-bank-statement.xml")

type Line = {
  id: string
  amount: number
  status: string
  amount_match: string | null
  counterparty_name: string | null
  counterparty_iban: string | null
  order: { id: string; display_id: number; email: string } | null
  decided_by: { email: string | null } | null
  decision_note: string | null
}

type Summary = {
  order_id: string
  paid_total: number
  outstanding_amount: number
  refundable_amount: number
  audit: { amount: number; reference: string | null }[]
}

/** Polls `read` until it gives `expected` (or 20 s pass) and answers the last value, for the assertion to show. */
async function settle<T>(read: () => Promise<T>, expected: T): Promise<T> {
  const deadline = Date.now() + 20_000
  let value = await read()
  while (value !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    value = await read()
  }
  return value
}

/** Text on the page that looks like a raw Medusa or plugin id. */
const RAW_ID = /\b[a-z]+_01[0-9A-HJKMNP-TV-Z]{6,}|pdbtx_|pdref_/

describe("Bank statements page", () => {
  let store: RunningStore
  let page: Page
  const consoleErrors: string[] = []
  const failedRequests: string[] = []

  beforeAll(async () => {
    // An import with more than one line to book is booked by the workers (here the
    // store's own process, on Medusa's local event bus): the demo statement's two.
    store = await startBrowserStore("bank_statements", {
      env: { PAYMENT_DESK_OPTIONS: JSON.stringify({ bank_statements: { inline_booking_limit: 1 } }) },
    })
    page = await store.adminPage()
    // The browser logs every 4xx answer as "Failed to load resource"; those are checked as requests below.
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) consoleErrors.push(message.text())
    })
    page.on("response", (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${new URL(response.url()).pathname.replace(/order_[0-9A-Z]+/, ":id")}`)
    })
    page.on("pageerror", (error) => consoleErrors.push(error.message))
    await page.setViewportSize({ width: 1440, height: 900 })
    fs.mkdirSync(SCREENSHOTS, { recursive: true })
  })

  afterAll(async () => {
    await page?.close().catch(() => {})
    await store?.stop()
  })

  const lines = (status: string) => store.api<{ bank_transactions: Line[] }>(`/admin/payment-desk/bank-transactions?status=${status}`)
  const summary = (row: string) => page.getByTestId(`bank-summary-${row}`).getByTestId("bank-summary-value").innerText()
  const noRawIds = async () => {
    const text = await page.getByTestId("bank-statements-page").locator("xpath=..").innerText()
    expect(text).not.toMatch(RAW_ID)
  }

  it("uploads the demo statement: its two exact lines booked by the workers, then 2 recorded, 2 for review, 1 ignored", async () => {
    expect(fs.existsSync(DEMO_STATEMENT)).toBe(true)
    const { csv_profiles } = await store.api<{ csv_profiles: string[] }>("/admin/payment-desk/bank-statements/profiles")
    expect(csv_profiles).toEqual([])

    await page.goto(`${store.url}/app/payment-desk/bank-statements`)
    await page.getByTestId("bank-statements-page").waitFor({ timeout: 60_000 })
    await page.getByTestId("bank-lines-review").getByText("Nothing to review").waitFor()

    // Nothing awaits payout yet: the page says so, and there is no file to download.
    await page.getByTestId("bank-sepa-next").getByText("No refund awaiting payout is left for a new file").waitFor()
    expect(await page.getByTestId("bank-sepa-download").isDisabled()).toBe(true)

    await page.getByTestId("bank-statement-file").setInputFiles(DEMO_STATEMENT)
    await page.getByTestId("bank-import-summary").waitFor({ timeout: 30_000 })
    await page.getByText("Statement imported", { exact: true }).waitFor()
    // The upload answers before the two lines are booked, and says so; the summary follows the workers.
    await page.getByText("Booking 0 of 2 lines…", { exact: true }).first().waitFor()
    await page.getByTestId("bank-booking-progress").getByText("All 2 lines booked", { exact: true }).waitFor({ timeout: 30_000 })
    expect(await summary("lines")).toBe("5")
    expect(await summary("recorded")).toBe("2")
    expect(await summary("review")).toBe("2")
    expect(await summary("ignored")).toBe("1")
    expect(await summary("duplicates")).toBe("0")

    const queue = page.getByTestId("bank-lines-review").locator("tbody tr")
    expect(await settle(() => queue.count(), 2)).toBe(2)
    const review = (await lines("review")).bank_transactions
    const partial = review.find((line) => line.amount_match === "partial")!
    expect(partial.order).not.toBeNull()
    const partialRow = queue.filter({ hasText: `#${partial.order!.display_id}` })
    expect(await partialRow.innerText()).toContain(partial.order!.email)
    expect(await partialRow.innerText()).toContain("NL91 ABNA 0417 1643 00")
    expect(await partialRow.innerText()).toContain("partial payment")
    const imports = page.getByTestId("bank-imports").locator("tbody tr")
    expect(await settle(() => imports.count(), 1)).toBe(1)
    // Who imported it, by name as everywhere (the admin "Demo Admin"), not the email.
    expect(await imports.first().innerText()).toContain("Demo Admin")
    expect(await imports.first().innerText()).not.toContain(ADMIN.email)
    expect(await imports.first().innerText()).toContain("demo-bank-statement.xml")
    await noRawIds()

    await page.getByText("Statement imported", { exact: true }).waitFor({ state: "detached", timeout: 20_000 })
    await page.screenshot({ path: path.join(SCREENSHOTS, "bank-statements.png"), fullPage: false })
  })

  it("confirms the partial line on its order and ignores the unreferenced one with a note", async () => {
    const review = (await lines("review")).bank_transactions
    const partial = review.find((line) => line.amount_match === "partial")!
    const stray = review.find((line) => !line.order)!
    expect(stray).toBeDefined()
    const before = await store.api<Summary>(`/admin/payment-desk/orders/${partial.order!.id}`)

    await page.getByTestId("bank-review-queue").evaluate((element) => element.scrollIntoView({ block: "start" }))
    await page.screenshot({ path: path.join(SCREENSHOTS, "review-queue.png") })

    const queue = page.getByTestId("bank-lines-review").locator("tbody tr")
    const partialRow = queue.filter({ hasText: `#${partial.order!.display_id}` })
    await partialRow.getByTestId("bank-line-confirm").click()
    const prompt = page.getByRole("alertdialog")
    expect(await prompt.innerText()).toContain(`#${partial.order!.display_id} as a partial payment`)
    await prompt.getByRole("button", { name: "Record payment" }).click()
    await page.getByText("Payment recorded", { exact: true }).waitFor()
    // The toast sits at the bottom right, where rows keep their buttons: scrolled to the end,
    // the page leaves room below its last row, so no button or link lies under the toast.
    const underToast = await page.evaluate(() => {
      const main = document.querySelector("main")!
      main.scrollTop = main.scrollHeight
      const toast = document.querySelector("[data-sonner-toast]")?.getBoundingClientRect()
      if (!toast) return ["no toast"]
      const covered = [...main.querySelectorAll("button, a")]
        .map((element) => ({ element, box: element.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && box.bottom > toast.top && box.top < toast.bottom && box.right > toast.left && box.left < toast.right)
        .map(({ element, box }) => `${(element.textContent ?? "").trim() || element.outerHTML.slice(0, 80)} (${Math.round(box.top)}–${Math.round(box.bottom)})`)
      const where = `toast ${Math.round(toast.top)}–${Math.round(toast.bottom)}, window ${window.innerHeight}, main scrolled ${main.scrollTop} of ${main.scrollHeight - main.clientHeight}`
      return covered.length ? [...covered, where] : []
    })
    expect(underToast).toEqual([])
    expect(await settle(() => queue.count(), 1)).toBe(1)

    const after = await store.api<Summary>(`/admin/payment-desk/orders/${partial.order!.id}`)
    expect(after.paid_total).toBe(before.paid_total + partial.amount)
    expect(after.audit).toHaveLength(before.audit.length + 1)

    // Another order by number: core's order search finds it by its display id.
    const strayRow = queue.first()
    await strayRow.getByTestId("bank-line-pick").click()
    const picker = page.getByRole("dialog")
    await picker.getByLabel("Order number").fill(String(partial.order!.display_id))
    await picker.getByTestId("bank-pick-results").getByText(`#${partial.order!.display_id}`, { exact: true }).waitFor()
    await picker.getByRole("button", { name: "Cancel" }).click()
    await picker.waitFor({ state: "detached" })

    // Ignoring needs a note.
    await strayRow.getByTestId("bank-line-ignore").click()
    const drawer = page.getByRole("dialog")
    await drawer.getByTestId("bank-ignore-submit").click()
    await drawer.getByTestId("bank-ignore-note-error").waitFor()
    expect(await page.getByRole("alertdialog").count()).toBe(0)
    await drawer.getByLabel("Note").fill("Gift from a friend, not for the store")
    // One question only: the drawer with its note (ignoring moves no money).
    await drawer.getByTestId("bank-ignore-submit").click()
    await drawer.waitFor({ state: "detached" })
    expect(await page.getByRole("alertdialog").count()).toBe(0)
    await page.getByTestId("bank-lines-review").getByText("Nothing to review").waitFor()

    // The decided lines: who, when, why, and the order as a link.
    await page.getByTestId("bank-tab-recorded").click()
    const recorded = page.getByTestId("bank-lines-recorded").locator("tbody tr")
    expect(await settle(() => recorded.count(), 3)).toBe(3)
    const confirmed = recorded.filter({ hasText: `#${partial.order!.display_id}` })
    expect(await confirmed.innerText()).toContain("Demo Admin")
    expect(await confirmed.getByRole("link", { name: `#${partial.order!.display_id}` }).getAttribute("href")).toContain(`/orders/${partial.order!.id}`)
    expect(await recorded.filter({ hasText: "Automatically" }).count()).toBe(2)

    await page.getByTestId("bank-tab-ignored").click()
    const ignored = page.getByTestId("bank-lines-ignored").locator("tbody tr")
    expect(await settle(() => ignored.count(), 2)).toBe(2)
    const note = ignored.filter({ hasText: "Gift from a friend" })
    expect(await note.innerText()).toContain("Demo Admin")
    expect(await note.innerText()).toContain("Alan Turing")
    await noRawIds()

    const server = (await lines("ignored")).bank_transactions.find((line) => line.id === stray.id)!
    expect(server).toMatchObject({ decision_note: "Gift from a friend, not for the store", decided_by: { email: ADMIN.email } })

    // A link to one line (as the order widget's reversed-credit warning gives) opens its tab with the line highlighted.
    await page.goto(`${store.url}/app/payment-desk/bank-statements?line=${stray.id}`)
    const linked = page.getByTestId("bank-lines-ignored").getByTestId("bank-line-linked")
    await linked.waitFor({ timeout: 60_000 })
    expect(await linked.innerText()).toContain("Alan Turing")
  })

  it("uploads the same file again: 5 duplicates, nothing recorded twice", async () => {
    await page.getByTestId("bank-statement-file").setInputFiles(DEMO_STATEMENT)
    await page.getByTestId("bank-summary-duplicates").getByText("5", { exact: true }).waitFor({ timeout: 30_000 })
    expect(await summary("recorded")).toBe("0")
    expect(await summary("review")).toBe("0")
    const imports = page.getByTestId("bank-imports").locator("tbody tr")
    expect(await settle(() => imports.count(), 2)).toBe(2)
    expect((await lines("recorded")).bank_transactions).toHaveLength(3)
  })

  it("shows the receipt on the order, and pre-fills the refund's payout account from the bank line", async () => {
    const recorded = (await lines("recorded")).bank_transactions.filter((line) => line.amount_match === "exact")
    const exact = recorded[0]
    const order = await store.api<Summary>(`/admin/payment-desk/orders/${exact.order!.id}`)
    expect(order.outstanding_amount).toBe(0)

    await page.goto(`${store.url}/app/orders/${exact.order!.id}`)
    const widget = page.getByTestId("payment-desk-order-widget")
    await widget.getByTestId("payment-desk-timeline-entry").first().waitFor({ timeout: 60_000 })
    expect(await widget.getByTestId("payment-desk-timeline-entry").count()).toBeGreaterThanOrEqual(1)
    expect(await widget.innerText()).toContain("Payment desk activity")

    await widget.getByTestId("payment-desk-refund-open").click()
    const drawer = page.getByRole("dialog")
    const payee = drawer.getByTestId("payment-desk-refund-payee")
    await payee.waitFor()
    expect(await settle(() => payee.getByLabel("IBAN").inputValue(), "NL91ABNA0417164300")).toBe("NL91ABNA0417164300")
    expect(await payee.getByLabel("Account holder").inputValue()).toBe("Grace Hopper")

    await drawer.getByLabel("Amount (EUR)").fill("10")
    await payee.getByLabel("IBAN").fill("NL91ABNA0417164399")
    await drawer.getByTestId("payment-desk-refund-submit").click()
    await page.getByRole("alertdialog").getByRole("button", { name: "Refund" }).click()
    // The server's refusal under the field it names, in words rather than its field code.
    await drawer.getByTestId("payment-desk-refund-payee-iban-error").waitFor()
    expect(await drawer.getByTestId("payment-desk-refund-payee-iban-error").innerText()).toBe("This is not a valid IBAN.")

    await payee.getByLabel("IBAN").fill("GB29 NWBK 6016 1331 9268 19")
    await payee.getByLabel("Account holder").fill("Grace Hopper Jr")
    await drawer.getByTestId("payment-desk-refund-submit").click()
    await page.getByRole("alertdialog").getByRole("button", { name: "Refund" }).click()
    await drawer.waitFor({ state: "detached" })
    await widget.getByTestId("payment-desk-refund-row").first().waitFor()

    // The SEPA file pays the account given with the refund.
    await page.goto(`${store.url}/app/payment-desk/bank-statements`)
    await page.getByTestId("bank-statements-page").waitFor({ timeout: 60_000 })
    // The button says what the file pays and asks first; the file then marks those refunds exported.
    await page.getByTestId("bank-sepa-next").getByText(/The next file pays \d+ refunds/).waitFor()
    await page.getByTestId("bank-sepa-download").click()
    const confirm = page.getByRole("alertdialog")
    await confirm.getByText("Grace Hopper Jr").waitFor()
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      confirm.getByRole("button", { name: "Download SEPA payout file" }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^payment-desk-payouts-.*\.xml$/)
    const xml = fs.readFileSync((await download.path())!, "utf8")
    expect(xml).toContain("<IBAN>GB29NWBK60161331926819</IBAN>")
    expect(xml).toContain("Grace Hopper Jr")
    expect(xml).toContain("10.00")
    // The file is listed with an explicit "Export again"; the next file has nothing left.
    await page.getByTestId("bank-sepa-export").first().getByRole("button", { name: "Export again" }).waitFor()
    await page.getByTestId("bank-sepa-next").getByText("No refund awaiting payout is left for a new file").waitFor()
  })

  it("logged no errors in the browser console; the only refused requests were the expected ones", () => {
    expect(consoleErrors).toEqual([])
    // Only the refund with a wrong IBAN (400 naming the field): with nothing to pay out, the download is disabled rather than refused.
    expect(failedRequests).toEqual(["400 /admin/payment-desk/orders/:id/refunds"])
  })
})
