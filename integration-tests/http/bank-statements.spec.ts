import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { XMLParser } from "fast-xml-parser"
import type { BuildCamtLine } from "../../scripts/lib/build-camt"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { creditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import { adminHeaders, answer, Api, checkout, customerHeaders, failure } from "../helpers/http"
import { faultOnce } from "../helpers/faults"
import { crashExec, CRASHED } from "../helpers/crash-exec"
import { camtFile, uploadStatement } from "../helpers/statements"
import { bookBankLineBatch } from "../../src/workflows/bank-statements/book-bank-lines-on-workers"
import reconcileRefundsJob from "../../src/jobs/reconcile-refunds"

jest.setTimeout(300_000)

const STORE_IBAN = "DE89370400440532013000"
const PAYER_IBAN = "NL91ABNA0417164300"

process.env.PAYMENT_DESK_MANUAL_METHODS = JSON.stringify([
  {
    method: "bank-transfer",
    currencies: ["eur"],
    accounts: [{ currency: "eur", account_holder: "Payment Desk Demo GmbH", iban: STORE_IBAN, bic: "COBADEFFXXX" }],
  },
])
// A clerk records payments and uploads statements but may not refund (admin@payment-desk.test may).
const CLERK = "clerk@payment-desk.test"
process.env.PAYMENT_DESK_OPTIONS = JSON.stringify({
  permissions: { refund: ["admin@payment-desk.test"] },
  bank_statements: {
    max_file_mb: 0.5,
    csv_profiles: {
      "demo-bank": {
        delimiter: ";",
        decimal: ",",
        date_format: "DD.MM.YYYY",
        account_iban: STORE_IBAN,
        currency: "EUR",
        columns: {
          booking_date: "Buchungstag",
          amount: "Betrag",
          remittance: "Verwendungszweck",
          counterparty_name: "Name",
          counterparty_iban: "IBAN",
          transaction_id: "Referenz",
        },
      },
    },
  },
})

const today = new Date().toISOString().slice(0, 10)
const parser = new XMLParser({ removeNSPrefix: true })

/** The end-to-end ids of a SEPA file's transfers. */
function endToEndIds(xml: string): string[] {
  const document = parser.parse(xml)
  const infos = [document.Document.CstmrCdtTrfInitn.PmtInf].flat()
  return infos.flatMap((info: { CdtTrfTxInf: unknown }) => [info.CdtTrfTxInf].flat()).map((t: any) => String(t.PmtId.EndToEndId))
}
/** The field a 400 names (`payout_account.name`, `iban`, ...), or "unrecognized" for an unknown field. */
const fieldOf = (e: { data: { message?: string } }) =>
  /Unrecognized/.test(e.data.message ?? "") ? "unrecognized" : (/((?:payout_account\.)?(?:name|iban|bic)): /.exec(e.data.message ?? "") ?? [])[1]
const messageId = (xml: string) => String(parser.parse(xml).Document.CstmrCdtTrfInitn.GrpHdr.MsgId)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConfig }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "Bank statements spec", paymentProviders: ["pp_manual_bank-transfer"] })
      admin = await adminHeaders(getContainer(), http)
    })

    const desk = () => getContainer().resolve(PAYMENT_DESK_MODULE)

    /** An order paid by bank transfer (110 EUR): id, display id and its RF reference. */
    async function bankOrder(email = `payer-${Math.random().toString(36).slice(2, 8)}@example.com`) {
      const { order_id, payment_id } = await placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email,
        items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
      })
      const { data } = await http.get(`/admin/payment-desk/orders/${order_id}`, admin)
      return { order_id, payment_id, display_id: data.display_id as number, reference: creditorReference(data.display_id) }
    }

    const camt = (lines: BuildCamtLine[], version: "001.02" | "001.04" | "001.08" = "001.08", iban = STORE_IBAN) => camtFile(iban, lines, version)
    const upload = (content: string | Buffer, fileName = "statement.xml", fields: Record<string, string> = {}, as = admin) =>
      uploadStatement(http, as, content, fileName, fields)

    /** A paid bank-transfer order (110 EUR) with a manual refund of `amount` awaiting its payout. */
    async function refundAwaitingPayout(amount: number) {
      const order = await bankOrder()
      await upload(camt([{ amount: "110.00", direction: "credit", booking_date: today, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN }]))
      const { data } = await http.post(`/admin/payment-desk/orders/${order.order_id}/refunds`, { amount }, admin)
      expect(data.refund_request.status).toBe("awaiting_payout")
      return { order, refund_id: data.refund_request.id as string, end_to_end_id: (data.refund_request.id as string).replace("_", "-") }
    }
    const refundStatus = async (id: string) => (await desk().listRefundRequests({ id }))[0].status as string

    const summaryOf = async (orderId: string) => (await http.get(`/admin/payment-desk/orders/${orderId}`, admin)).data
    const linesOf = async (statementId: string) =>
      (await http.get(`/admin/payment-desk/bank-transactions?bank_statement_id=${statementId}&limit=200`, admin)).data.bank_transactions
    const statementCount = async () => (await http.get("/admin/payment-desk/bank-statements", admin)).data.count as number

    /** What the plugin booked and what Medusa booked for an order agree: receipts = captures = paid total. */
    async function expectBooks(orderId: string, paid: number) {
      const summary = await summaryOf(orderId)
      const receipts = (await desk().listAuditEntries({ order_id: orderId, action: "payment_recorded" })) as { amount: number }[]
      const payments = await getContainer().resolve(Modules.PAYMENT).listPayments(
        { id: summary.payments.map((p: { id: string }) => p.id) },
        { relations: ["captures"] }
      )
      const captured = payments.flatMap((p: { captures: { amount: number }[] }) => p.captures).reduce((s: number, c: { amount: number }) => s + Number(c.amount), 0)
      const recorded = receipts.reduce((s, r) => s + Number(r.amount), 0)
      expect({ recorded, captured, paid_total: Number(summary.paid_total) }).toEqual({ recorded: paid, captured: paid, paid_total: paid })
    }

    it("closes the whole loop for one order: checkout, instructions with the QR code, statement import, recorded, paid email", async () => {
      const email = "loop@example.com"
      const customer = await customerHeaders(http, store, email)
      const order = await checkout(http, store, customer, "pp_manual_bank-transfer")
      const { data: instructions } = await http.get(`/store/payment-desk/orders/${order.id}/instructions`, { headers: customer.headers })
      expect(instructions).toMatchObject({ reference: creditorReference(order.display_id), amount_due: 110, account: { iban: STORE_IBAN } })
      expect(instructions.qr_svg).toContain("<svg")
      expect(instructions.epc_payload).toContain(creditorReference(order.display_id))

      const { data } = await upload(
        camt([{ amount: "110.00", direction: "credit", booking_date: today, reference: instructions.reference, name: "Loop Customer", iban: PAYER_IBAN }])
      )
      expect(data.bank_statement).toMatchObject({ recorded: 1, review: 0 })
      await expectBooks(order.id, 110)
      expect(Number((await summaryOf(order.id)).outstanding_amount)).toBe(0)

      // The customer's emails: the instructions at checkout, then the receipt and "fully paid" (sent by subscribers).
      const notifications = getContainer().resolve(Modules.NOTIFICATION)
      let templates: string[] = []
      for (let i = 0; i < 60 && !templates.includes("payment-desk-fully-paid"); i++) {
        templates = (await notifications.listNotifications({ to: email, channel: "email" } as object)).map((n: { template: string }) => n.template)
        if (!templates.includes("payment-desk-fully-paid")) await new Promise((resolve) => setTimeout(resolve, 500))
      }
      expect(templates).toEqual(expect.arrayContaining(["payment-desk-payment-instructions", "payment-desk-payment-received", "payment-desk-fully-paid"]))
      expect(templates.filter((t) => t === "payment-desk-fully-paid")).toHaveLength(1)
    })

    it("records an exact RF-referenced credit by itself, with the payer kept, and a second import of the file records nothing", async () => {
      const order = await bankOrder()
      const file = camt([
        { amount: "110.00", direction: "credit", booking_date: today, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN },
        { amount: "55.00", direction: "debit", booking_date: today, remittance: "Office rent", name: "Landlord", iban: PAYER_IBAN },
      ])
      const { status, data } = await upload(file, "november.xml")
      expect(status).toBe(201)
      expect(data.bank_statement).toMatchObject({ file_name: "november.xml", format: "camt.053", lines: 2, credits: 1, recorded: 1, review: 0, ignored: 1, duplicates: 0 })
      // Who imported it, named as everywhere: by name, else email.
      expect(data.bank_statement.imported_by).toMatchObject({ type: "user", email: "admin@payment-desk.test", name: "Demo Admin" })
      const listed = await http.get(`/admin/payment-desk/bank-statements?limit=50`, admin)
      expect(listed.data.bank_statements.find((row: { id: string }) => row.id === data.bank_statement.id).imported_by.name).toBe("Demo Admin")

      const summary = await summaryOf(order.order_id)
      expect(Number(summary.outstanding_amount)).toBe(0)
      const [receipt] = summary.audit.filter((e: { action: string }) => e.action === "payment_recorded")
      expect(receipt).toMatchObject({ amount: 110, method: "bank-transfer", received_at: expect.stringContaining(today) })
      expect(receipt.metadata).toMatchObject({ payer_name: "Erika Mustermann", payer_iban: PAYER_IBAN, line: 1 })

      const lines = await linesOf(data.bank_statement.id)
      expect(lines.map((l: { status: string }) => l.status)).toEqual(["recorded", "ignored"])
      expect(lines[0]).toMatchObject({ order: { id: order.order_id, display_id: order.display_id }, match_type: "reference", amount_match: "exact", file_name: "november.xml" })
      await expectBooks(order.order_id, 110)

      const again = await upload(file, "november-again.xml")
      expect(again.data.bank_statement).toMatchObject({ lines: 2, recorded: 0, review: 0, duplicates: 2 })
      await expectBooks(order.order_id, 110)
    })

    it("issue 20: PostFinance-style //NONREF lines are all stored, a re-import lists each as a duplicate of its earlier line, and the counts add up to the file's entries", async () => {
      const yymmdd = today.slice(2).replace(/-/g, "")
      // The account as BLZ/number, every bank reference //NONREF, two identical lines, a zero line.
      const statement = (ref: string) =>
        [
          `:20:${ref}`,
          ":25:37040044/0532013000",
          ":28C:1/1",
          `:60F:C${yymmdd}EUR0,`,
          `:61:${yymmdd}C7,NMSC01916//NONREF`,
          ":86:GIRO AUS ONLINE-SIC JANE DOE",
          `:61:${yymmdd}C7,NMSC01916//NONREF`,
          ":86:GIRO AUS ONLINE-SIC JANE DOE",
          `:61:${yymmdd}C9,5NMSC01916//NONREF`,
          ":86:GIRO AUS ONLINE-SIC JOHN DOE",
          `:61:${yymmdd}C0,NMSC01916//NONREF`,
          `:61:${yymmdd}D5,NMSC01916//NONREF`,
          ":86:GEBUEHREN",
          `:62F:C${yymmdd}EUR18,5`,
          "-",
        ].join("\n")
      const first = await upload(statement("PF-1"), "postfinance.sta")
      expect(first.status).toBe(201)
      const report = first.data.bank_statement
      expect(report).toMatchObject({ format: "mt940", entries: 5, lines: 4, duplicates: 0, accounts: [STORE_IBAN] })
      expect(report.skipped).toEqual([expect.objectContaining({ line: 11, reason: "zero_amount", amount: "0.00" })])
      const stored = report.recorded + report.payouts_recorded + report.review + report.ignored
      expect(stored).toBe(4)
      expect(stored + report.skipped.length).toBe(report.entries)

      const again = await upload(statement("PF-1"), "postfinance-again.sta")
      const second = again.data.bank_statement
      expect(second).toMatchObject({ entries: 5, lines: 4, duplicates: 4, recorded: 0, review: 0, ignored: 0 })
      expect(second.skipped.map((entry: { line: number; reason: string; duplicate_of: { file_name: string; line: number } | null }) => [entry.line, entry.reason, entry.duplicate_of?.file_name ?? null, entry.duplicate_of?.line ?? null])).toEqual([
        [5, "duplicate", "postfinance.sta", 5],
        [7, "duplicate", "postfinance.sta", 7],
        [9, "duplicate", "postfinance.sta", 9],
        [11, "zero_amount", null, null],
        [12, "duplicate", "postfinance.sta", 12],
      ])
      const listed = await http.get(`/admin/payment-desk/bank-statements/${second.id}`, admin)
      expect(listed.data.bank_statement.skipped).toHaveLength(5)
    })

    it("issue 20: a bank reference an earlier file's different line holds stores the new line, and its re-import names the new file's line", async () => {
      const yymmdd = today.slice(2).replace(/-/g, "")
      const mt940 = (ref: string, amount: string) =>
        [`:20:${ref}`, `:25:${STORE_IBAN}EUR`, ":28C:1/1", `:60F:C${yymmdd}EUR0,`, `:61:${yymmdd}C${amount}NTRFCUST//REUSED-7`, ":86:Fees returned", `:62F:C${yymmdd}EUR${amount}`, "-"].join("\n")
      const first = await upload(mt940("R-1", "12,"), "day-1.sta")
      expect(first.data.bank_statement).toMatchObject({ entries: 1, duplicates: 0, skipped: [] })
      const second = await upload(mt940("R-2", "13,"), "day-2.sta")
      expect(second.data.bank_statement).toMatchObject({ entries: 1, duplicates: 0, skipped: [] })
      const [line] = await linesOf(second.data.bank_statement.id)
      expect([Number(line.amount), line.bank_transaction_id]).toEqual([13, "REUSED-7"])
      const again = await upload(mt940("R-2", "13,"), "day-2-again.sta")
      expect(again.data.bank_statement).toMatchObject({ entries: 1, duplicates: 1 })
      expect(again.data.bank_statement.skipped).toEqual([
        expect.objectContaining({ line: 5, reason: "duplicate", duplicate_of: expect.objectContaining({ file_name: "day-2.sta", line: 5 }) }),
      ])
    })

    it("reads the order number in the text, sends partial and unreferenced payments to review with suggestions, and records what a person confirms", async () => {
      const partial = await bankOrder()
      const unreferenced = await bankOrder()
      const { data } = await upload(
        camt([
          { amount: "40.00", direction: "credit", booking_date: today, remittance: `Order #${partial.display_id} first part`, name: "Max Muster", iban: PAYER_IBAN },
          { amount: "110.00", direction: "credit", booking_date: today, remittance: "Thanks for the lamp", name: "Anna Beispiel" },
          { amount: "12.34", direction: "credit", booking_date: today, remittance: "Unknown payment" },
        ])
      )
      expect(data.bank_statement).toMatchObject({ credits: 3, recorded: 0, review: 3 })
      const [first, second, third] = await linesOf(data.bank_statement.id)
      expect(first).toMatchObject({ status: "review", match_type: "order_number", amount_match: "partial", order: { display_id: partial.display_id } })
      expect(second).toMatchObject({ status: "review", match_type: "none", order: null })
      expect(second.suggestions.map((s: { id: string }) => s.id)).toContain(unreferenced.order_id)
      expect(third.suggestions).toEqual([])

      const confirmed = await http.post(`/admin/payment-desk/bank-transactions/${first.id}/confirm`, { note: "Customer called" }, admin)
      expect(confirmed.data.bank_transaction).toMatchObject({ status: "recorded", decided_by: { email: "admin@payment-desk.test", name: "Demo Admin" }, decision_note: "Customer called" })
      expect(Number((await summaryOf(partial.order_id)).outstanding_amount)).toBe(70)
      await expectBooks(partial.order_id, 40)

      const twice = await failure(http.post(`/admin/payment-desk/bank-transactions/${first.id}/confirm`, {}, admin))
      expect(twice.status).toBe(409)
      expect(twice.data.message).toContain("recorded already")
      await expectBooks(partial.order_id, 40)

      const picked = await http.post(`/admin/payment-desk/bank-transactions/${second.id}/confirm`, { order_id: unreferenced.order_id }, admin)
      expect(picked.data.bank_transaction).toMatchObject({ status: "recorded", match_type: "manual", order: { id: unreferenced.order_id } })
      await expectBooks(unreferenced.order_id, 110)

      const noNote = await failure(http.post(`/admin/payment-desk/bank-transactions/${third.id}/ignore`, {}, admin))
      expect(noNote.status).toBe(400)
      expect(noNote.data.message).toContain("note")
      const ignored = await http.post(`/admin/payment-desk/bank-transactions/${third.id}/ignore`, { note: "Not ours" }, admin)
      expect(ignored.data.bank_transaction).toMatchObject({ status: "ignored", decision_note: "Not ours", decided_by: { email: "admin@payment-desk.test" } })
      const queue = (await http.get("/admin/payment-desk/bank-transactions?status=review", admin)).data.bank_transactions
      expect(queue.map((l: { id: string }) => l.id)).not.toEqual(expect.arrayContaining([first.id, second.id, third.id]))
    })

    it("never captures an over-payment beyond the order total: confirming books what is due and flags the excess", async () => {
      const order = await bankOrder()
      const { data } = await upload(camt([{ amount: "150.00", direction: "credit", booking_date: today, reference: order.reference }]))
      expect(data.bank_statement).toMatchObject({ recorded: 0, review: 1 })
      const [line] = await linesOf(data.bank_statement.id)
      expect(line).toMatchObject({ amount_match: "over", excess_amount: 40 })
      const { data: confirmed } = await http.post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, admin)
      expect(confirmed.bank_transaction).toMatchObject({ status: "recorded", excess_amount: 40, review_reason: expect.stringContaining("Over-payment") })
      await expectBooks(order.order_id, 110)
    })

    it("records each line of two overlapping files once, and two imports of one file at once capture once", async () => {
      const [a, b, c] = [await bankOrder(), await bankOrder(), await bankOrder()]
      const line = (o: { reference: string }, id: string): BuildCamtLine => ({ amount: "110.00", direction: "credit", booking_date: today, reference: o.reference, bank_id: id })
      const first = await upload(camt([line(a, "TX-A"), line(b, "TX-B")]))
      const second = await upload(camt([line(b, "TX-B"), line(c, "TX-C")]))
      expect(first.data.bank_statement).toMatchObject({ recorded: 2, duplicates: 0 })
      expect(second.data.bank_statement).toMatchObject({ recorded: 1, duplicates: 1 })
      for (const order of [a, b, c]) await expectBooks(order.order_id, 110)

      const d = await bankOrder()
      const file = camt([line(d, "TX-D")])
      const results = await Promise.allSettled([upload(file), upload(file)])
      expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1)
      await expectBooks(d.order_id, 110)
    })

    it("refuses bad files with a 400 naming the file, line and field, and stores nothing", async () => {
      const before = await statementCount()
      const order = await bankOrder()
      const garbage = await failure(upload("this is not a statement", "notes.txt"))
      expect(garbage.status).toBe(400)
      expect(garbage.data.message).toContain("notes.txt")

      const foreign = await failure(upload(camt([{ amount: "110.00", direction: "credit", booking_date: today, reference: order.reference }], "001.08", "GB29NWBK60161331926819"), "foreign.xml"))
      expect(foreign.status).toBe(400)
      expect(foreign.data.message).toMatch(/foreign\.xml line 1: account GB29NWBK60161331926819 is not one of the store's bank accounts/)
      expect(foreign.data.message).toContain("tried IBAN GB29NWBK60161331926819")

      const decimals = await failure(upload(camt([{ amount: "110.001", direction: "credit", booking_date: today, reference: order.reference }]), "decimals.xml"))
      expect(decimals.status).toBe(400)
      expect(decimals.data.message).toMatch(/decimals\.xml (line|entry) 1: .*Amt "110\.001" has more decimals than EUR allows/)

      const big = await failure(upload(Buffer.alloc(600 * 1024, "a"), "huge.xml"))
      expect(big.status).toBe(400)
      expect(big.data.message).toContain("huge.xml is larger than the 0.5 MB limit")

      const missing = await failure(http.post("/admin/payment-desk/bank-statements", new FormData(), admin))
      expect(missing.status).toBe(400)
      expect(missing.data.message).toContain("file")

      const csvNoColumns = await failure(upload("Datum;Betrag\n01.11.2026;10,00\n", "export.csv", { profile: "demo-bank" }))
      expect(csvNoColumns.status).toBe(400)
      expect(csvNoColumns.data.message).toContain("export.csv")
      expect(csvNoColumns.data.message).toContain("Buchungstag")

      const unknownProfile = await failure(upload("a;b\n", "export.csv", { profile: "nope" }))
      expect(unknownProfile.status).toBe(400)
      expect(unknownProfile.data.message).toContain('profile: "nope"')

      expect(await statementCount()).toBe(before)
      expect(Number((await summaryOf(order.order_id)).outstanding_amount)).toBe(110)
    })

    it("imports a bank's CSV export through its saved profile", async () => {
      const order = await bankOrder()
      const csv = [
        "Buchungstag;Betrag;Verwendungszweck;Name;IBAN;Referenz",
        `${today.split("-").reverse().join(".")};110,00;${order.reference} Lampe;Jürgen Groß;${PAYER_IBAN};CSV-1`,
        `${today.split("-").reverse().join(".")};-20,00;Bank fees;;;CSV-2`,
      ].join("\n")
      const { data } = await upload(Buffer.from(csv, "utf8"), "export.csv", { profile: "demo-bank" })
      expect(data.bank_statement).toMatchObject({ format: "csv", lines: 2, credits: 1, recorded: 1, ignored: 1 })
      await expectBooks(order.order_id, 110)
    })

    it("closes the payout loop: a manual refund goes into a SEPA file, and the statement's debit with its end-to-end id records the payout", async () => {
      const order = await bankOrder()
      await upload(camt([{ amount: "110.00", direction: "credit", booking_date: today, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN }]))
      const badIban = await failure(
        http.post(`/admin/payment-desk/orders/${order.order_id}/refunds`, { amount: 30, payout_account: { name: "Erika", iban: "DE00 1234" } }, admin)
      )
      expect(badIban.status).toBe(400)
      expect(badIban.data.message).toContain("payout_account.iban")

      const { data: refund } = await http.post(`/admin/payment-desk/orders/${order.order_id}/refunds`, { amount: 30 }, admin)
      expect(refund.refund_request.status).toBe("awaiting_payout")
      const refundId = refund.refund_request.id as string

      const sepa = await http.get("/admin/payment-desk/payouts/sepa?status=awaiting_payout", admin)
      const xml = new XMLParser({ removeNSPrefix: true }).parse(sepa.data)
      const infos = [xml.Document.CstmrCdtTrfInitn.PmtInf].flat()
      const transfers = infos.flatMap((info: { CdtTrfTxInf: unknown }) => [info.CdtTrfTxInf].flat()) as any[]
      // SEPA ids allow no underscore: the refund's id travels as pdref-…
      const mine = transfers.find((t) => t.PmtId.EndToEndId === refundId.replace("_", "-"))
      expect(mine).toBeDefined()
      expect(String(mine.CdtrAcct.Id.IBAN)).toBe(PAYER_IBAN)
      expect(mine.Cdtr.Nm).toBe("Erika Mustermann")
      expect(Number(mine.Amt.InstdAmt["#text"] ?? mine.Amt.InstdAmt)).toBe(30)
      expect(String(infos[0].DbtrAcct.Id.IBAN)).toBe(STORE_IBAN)

      const { data } = await upload(camt([{ amount: "30.00", direction: "debit", booking_date: today, end_to_end_id: refundId.replace("_", "-"), name: "Erika Mustermann", iban: PAYER_IBAN }]))
      expect(data.bank_statement).toMatchObject({ debits: 1, payouts_recorded: 1 })
      const [row] = await desk().listRefundRequests({ id: refundId })
      expect(row.status).toBe("succeeded")
      const [line] = await linesOf(data.bank_statement.id)
      expect(line).toMatchObject({ status: "recorded", refund_request_id: refundId, match_type: "end_to_end_id" })
      const summary = await summaryOf(order.order_id)
      expect(Number(summary.refunded_total)).toBe(30)
    })

    it("seam 4: a statement uploaded by someone without the refund permission books no payout; the debit waits in review for someone who has it", async () => {
      const clerk = await adminHeaders(getContainer(), http, CLERK)
      const { refund_id, end_to_end_id } = await refundAwaitingPayout(30)
      const debit = camt([{ amount: "30.00", direction: "debit", booking_date: today, end_to_end_id, name: "Erika Mustermann", iban: PAYER_IBAN }])
      const { data } = await upload(debit, "payouts.xml", {}, clerk)
      const [line] = await linesOf(data.bank_statement.id)
      const clerkConfirm = await failure(http.post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, clerk))
      const afterClerk = await refundStatus(refund_id)
      const adminConfirm = await http.post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, admin)
      expect({
        payouts_recorded: data.bank_statement.payouts_recorded,
        line: [line.status, /refund permission/.test(line.review_reason ?? "")],
        clerk_confirm: [clerkConfirm.status, /refund permission/.test(clerkConfirm.data.message)],
        refund_after_clerk: afterClerk,
        admin_confirm: adminConfirm.data.bank_transaction.status,
        refund_after_admin: await refundStatus(refund_id),
      }).toEqual({
        payouts_recorded: 0,
        line: ["review", true],
        clerk_confirm: [403, true],
        refund_after_clerk: "awaiting_payout",
        admin_confirm: "recorded",
        refund_after_admin: "succeeded",
      })
    })

    it("seam 5: a debit smaller than the refund awaiting payout is refused with both amounts named; the refund still awaits its payout", async () => {
      const { refund_id, end_to_end_id } = await refundAwaitingPayout(100)
      const { data } = await upload(camt([{ amount: "1.00", direction: "debit", booking_date: today, end_to_end_id, name: "Erika Mustermann", iban: PAYER_IBAN }]))
      const [line] = await linesOf(data.bank_statement.id)
      const confirmed = await failure(http.post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, admin))
      const [after] = await linesOf(data.bank_statement.id)
      expect({
        payouts_recorded: data.bank_statement.payouts_recorded,
        line_before: line.status,
        confirm: confirmed.status,
        message: confirmed.data.message,
        line_after: after.status,
        refund: await refundStatus(refund_id),
      }).toEqual({
        payouts_recorded: 0,
        line_before: "review",
        confirm: 400,
        message: "The line pays out 1 EUR, the refund awaits 100 EUR: a payout is recorded for the refund's whole amount only",
        line_after: "review",
        refund: "awaiting_payout",
      })
    })

    it("seam: a payout the bank returns is no new payment: it waits in review, and confirming it reopens the refund for payout (once)", async () => {
      const clerk = await adminHeaders(getContainer(), http, CLERK)
      const { order, refund_id, end_to_end_id } = await refundAwaitingPayout(30)
      await upload(camt([{ amount: "30.00", direction: "debit", booking_date: today, end_to_end_id, name: "Erika Mustermann", iban: PAYER_IBAN }]))
      const paidOut = await refundStatus(refund_id)
      const paidBefore = Number((await summaryOf(order.order_id)).paid_total)
      // The payout comes back, with the refund's end-to-end id and the order's reference in the text.
      const { data } = await upload(
        camt([{ amount: "30.00", direction: "credit", booking_date: today, end_to_end_id, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN }])
      )
      const [line] = await linesOf(data.bank_statement.id)
      const clerkConfirm = await failure(http.post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, clerk))
      const confirmed = await http.post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, admin)
      const again = await failure(http.post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, admin))
      const [row] = await desk().listRefundRequests({ id: refund_id })
      const returnedEntries = await desk().listAuditEntries({ order_id: order.order_id, action: "refund_payout_returned" })
      // Paid out again, by a second statement debit.
      const { data: second } = await upload(camt([{ amount: "30.00", direction: "debit", booking_date: today, end_to_end_id, name: "Erika Mustermann", iban: PAYER_IBAN }]))
      expect({
        paid_out: paidOut,
        recorded_as_receipts: data.bank_statement.recorded,
        line: [line.status, line.refund_request_id, line.review_reason],
        clerk_confirm: clerkConfirm.status,
        confirmed: [confirmed.data.bank_transaction.status, confirmed.data.bank_transaction.refund_request_id],
        confirm_again: again.status,
        refund: [row.status, row.payout_reference],
        returned_entries: returnedEntries.length,
        paid_unchanged: Number((await summaryOf(order.order_id)).paid_total) === paidBefore,
        second_payout: [second.bank_statement.payouts_recorded, await refundStatus(refund_id)],
      }).toEqual({
        paid_out: "succeeded",
        recorded_as_receipts: 0,
        line: ["review", refund_id, "A refund payout the bank returned: confirm to reopen the refund for payout"],
        clerk_confirm: 403,
        confirmed: ["recorded", refund_id],
        confirm_again: 409,
        refund: ["awaiting_payout", null],
        returned_entries: 1,
        paid_unchanged: true,
        second_payout: [1, "succeeded"],
      })
    })

    it("seam 7: a credit the bank reverses waits in review on its order, and cannot be confirmed into nothing", async () => {
      const order = await bankOrder()
      await upload(camt([{ amount: "110.00", direction: "credit", booking_date: today, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN }]))
      await expectBooks(order.order_id, 110)
      const { data } = await upload(
        camt([{ amount: "110.00", direction: "debit", reversal: true, booking_date: today, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN }])
      )
      const [line] = await linesOf(data.bank_statement.id)
      const confirmed = await failure(http.post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, admin))
      const [after] = await linesOf(data.bank_statement.id)
      expect({
        ignored: data.bank_statement.ignored,
        line: [line.status, line.order_id, /reversed an incoming payment/.test(line.review_reason ?? "")],
        confirm: [confirmed.status, /pays no refund out/.test(confirmed.data.message)],
        line_after: after.status,
      }).toEqual({
        ignored: 0,
        line: ["review", order.order_id, true],
        confirm: [400, true],
        line_after: "review",
      })
    })

    it("seam 9: a reversed credit flags the order and is booked as a refund the bank paid back: ledger = Medusa's refunds, once, refund permission needed", async () => {
      const clerk = await adminHeaders(getContainer(), http, CLERK)
      const order = await bankOrder()
      await upload(camt([{ amount: "110.00", direction: "credit", booking_date: today, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN }]))
      const { data } = await upload(
        camt([{ amount: "110.00", direction: "debit", reversal: true, booking_date: today, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN, bank_id: "TX-RVSL" }])
      )
      const [line] = await linesOf(data.bank_statement.id)
      const flagged = (await summaryOf(order.order_id)).reversed_credits
      const confirm = await failure(http.post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, admin))
      const byClerk = await failure(http.post(`/admin/payment-desk/bank-transactions/${line.id}/book-reversal`, {}, clerk))
      const afterClerk = (await linesOf(data.bank_statement.id))[0].status
      const booked = await http.post(`/admin/payment-desk/bank-transactions/${line.id}/book-reversal`, { note: "Payer's bank recalled it" }, admin)
      const twice = await failure(http.post(`/admin/payment-desk/bank-transactions/${line.id}/book-reversal`, {}, admin))
      const summary = await summaryOf(order.order_id)
      const ledger = await desk().listRefundRequests({ order_id: order.order_id })
      const medusaRefunds = await getContainer().resolve(Modules.PAYMENT).listRefunds({ payment_id: order.payment_id })
      const audit = summary.audit.map((e: { action: string }) => e.action)
      expect({
        line: [line.status, line.reversal, line.order?.id],
        flagged: flagged.map((f: { bank_transaction_id: string; amount: number }) => [f.bank_transaction_id, f.amount]),
        confirm: [confirm.status, /book the reversal/.test(confirm.data.message)],
        clerk: [byClerk.status, /refund permission/.test(byClerk.data.message), afterClerk],
        booked: [booked.data.bank_transaction.status, booked.data.bank_transaction.refund_request_id, booked.data.refund_request.status],
        twice: twice.status,
        ledger: ledger.map((r: { status: string; amount: unknown; medusa_refund_id: string | null }) => [r.status, Number(r.amount), !!r.medusa_refund_id]),
        medusa_refunds: medusaRefunds.map((r: { amount: unknown }) => Number(r.amount)),
        books: { paid: Number(summary.paid_total), refunded: Number(summary.refunded_total), refundable: Number(summary.refundable_amount) },
        audit: ["refund_requested", "refund_payout_recorded"].every((a) => audit.includes(a)),
        flag_after: summary.reversed_credits,
      }).toEqual({
        line: ["review", true, order.order_id],
        flagged: [[line.id, 110]],
        confirm: [400, true],
        clerk: [403, true, "review"],
        booked: ["recorded", booked.data.refund_request.id, "succeeded"],
        twice: 409,
        ledger: [["succeeded", 110, true]],
        medusa_refunds: [110],
        books: { paid: 110, refunded: 110, refundable: 0 },
        audit: true,
        flag_after: [],
      })
    })

    it("seam 9: a reversed credit with no recorded receipt to refund is refused and stays flagged until a person ignores it", async () => {
      const order = await bankOrder()
      const { data } = await upload(
        camt([{ amount: "110.00", direction: "debit", reversal: true, booking_date: today, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN }])
      )
      const [line] = await linesOf(data.bank_statement.id)
      const refused = await failure(http.post(`/admin/payment-desk/bank-transactions/${line.id}/book-reversal`, {}, admin))
      const flagged = (await summaryOf(order.order_id)).reversed_credits.length
      await http.post(`/admin/payment-desk/bank-transactions/${line.id}/ignore`, { note: "Never booked here" }, admin)
      expect({
        refused: [refused.status, /no receipt to refund/.test(refused.data.message)],
        line_after_refusal: flagged,
        flag_after_ignore: (await summaryOf(order.order_id)).reversed_credits,
        refunds: await desk().listRefundRequests({ order_id: order.order_id }),
      }).toEqual({ refused: [400, true], line_after_refusal: 1, flag_after_ignore: [], refunds: [] })
    })

    it("seam 8: free text naming an order with the exact amount records only when the payer is the order's customer; otherwise it waits as a suggestion", async () => {
      // bankOrder() bills and ships to Ada Lovelace; the stranger has nothing to do with the order.
      const stranger = await bankOrder()
      const named = await bankOrder()
      const { data } = await upload(
        camt([
          { amount: "110.00", direction: "credit", booking_date: today, remittance: `Nr ${stranger.display_id}`, name: "Mallory Stranger", iban: "GB29NWBK60161331926819", bank_id: "TX-STRANGER" },
          { amount: "110.00", direction: "credit", booking_date: today, remittance: `Nr ${named.display_id}`, name: "LOVELACE, Adá", iban: PAYER_IBAN, bank_id: "TX-NAMED" },
        ])
      )
      const [strangerLine, namedLine] = await linesOf(data.bank_statement.id)
      const strangerBooks = { outstanding: Number((await summaryOf(stranger.order_id)).outstanding_amount) }
      // A person who knows better confirms the suggestion.
      const confirmed = await http.post(`/admin/payment-desk/bank-transactions/${strangerLine.id}/confirm`, { note: "Paid by the customer's company" }, admin)
      expect({
        summary: [data.bank_statement.recorded, data.bank_statement.review],
        stranger_line: [strangerLine.status, strangerLine.match_type, strangerLine.amount_match, strangerLine.order?.id, strangerLine.review_reason],
        stranger_books_before_confirm: strangerBooks,
        named_line: [namedLine.status, namedLine.order?.id],
        confirmed: confirmed.data.bank_transaction.status,
      }).toEqual({
        summary: [1, 1],
        stranger_line: [
          "review",
          "order_number",
          "exact",
          stranger.order_id,
          `Mentions order #${stranger.display_id} and the amount fits, but the payer is not known as the order's customer: confirm to record`,
        ],
        stranger_books_before_confirm: { outstanding: 110 },
        named_line: ["recorded", named.order_id],
        confirmed: "recorded",
      })
      await expectBooks(stranger.order_id, 110)
      await expectBooks(named.order_id, 110)
    })

    it("seam 8: a payer IBAN seen on an earlier recorded receipt of the same customer counts as the customer; an RF reference records whoever paid", async () => {
      const email = `returning-${Math.random().toString(36).slice(2, 8)}@example.com`
      const first = await bankOrder(email)
      const second = await bankOrder(email)
      const byReference = await bankOrder()
      // The first order is paid by RF reference from the customer's company account: recorded whoever paid.
      const one = await upload(
        camt([
          { amount: "110.00", direction: "credit", booking_date: today, reference: first.reference, name: "Acme Holding BV", iban: PAYER_IBAN },
          { amount: "110.00", direction: "credit", booking_date: today, reference: byReference.reference, name: "Mallory Stranger", iban: "GB29NWBK60161331926819" },
        ])
      )
      // The second names the order only in the text, from the same account: that IBAN paid this customer before.
      const two = await upload(camt([{ amount: "110.00", direction: "credit", booking_date: today, remittance: `Bestellung ${second.display_id}`, name: "Acme Holding BV", iban: PAYER_IBAN }]))
      expect([one.data.bank_statement.recorded, two.data.bank_statement.recorded]).toEqual([2, 1])
      await expectBooks(second.order_id, 110)
      await expectBooks(byReference.order_id, 110)
    })

    it("puts a line whose receipt fails back to review with nothing booked, and a person can then confirm it", async () => {
      const order = await bankOrder()
      const file = camt([{ amount: "110.00", direction: "credit", booking_date: today, reference: order.reference, bank_id: "TX-FAULT" }])
      // The receipt's audit entry is its last write: failing it undoes the capture and its order transaction.
      const fault = faultOnce(desk(), "appendAuditEntries")
      try {
        const { data } = await upload(file)
        expect(fault.fired).toBe(1)
        expect(data.bank_statement).toMatchObject({ recorded: 0, review: 1 })
      } finally {
        fault.restore()
      }
      await expectBooks(order.order_id, 0)
      const [line] = await desk().listBankTransactions({ bank_transaction_id: "TX-FAULT" })
      expect(line).toMatchObject({ status: "review", review_reason: expect.stringContaining("Not recorded automatically") })
      await http.post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, admin)
      await expectBooks(order.order_id, 110)
    })

    it("keeps a booked receipt when marking its line fails: the line stays matched (never confirmed twice) and the next import marks it", async () => {
      const order = await bankOrder()
      const file = camt([{ amount: "110.00", direction: "credit", booking_date: today, reference: order.reference, bank_id: "TX-MARK" }])
      const fault = faultOnce(desk(), "moveBankTransaction", { when: (t: { to: string }) => t.to === "recorded" })
      try {
        const { data } = await upload(file)
        expect(fault.fired).toBe(1)
        expect(data.bank_statement).toMatchObject({ recorded: 0, review: 1 })
      } finally {
        fault.restore()
      }
      // Money only goes forward: the receipt stands.
      await expectBooks(order.order_id, 110)
      const [line] = await desk().listBankTransactions({ bank_transaction_id: "TX-MARK" })
      expect(line.status).toBe("matched")
      const confirm = await http
        .post(`/admin/payment-desk/bank-transactions/${line.id}/confirm`, {}, admin)
        .catch((error: { response: { status: number } }) => error.response)
      expect(confirm.status).toBe(409)
      const again = await upload(file)
      expect(again.data.bank_statement.duplicates).toBe(1)
      const [marked] = await desk().listBankTransactions({ bank_transaction_id: "TX-MARK" })
      expect(marked.status).toBe("recorded")
      expect(marked.audit_entry_id).toBeTruthy()
      await expectBooks(order.order_id, 110)
    })

    it("resumes a line a crash left between its receipt and its mark: the next import marks it recorded without a second capture", async () => {
      const order = await bankOrder()
      const file = camt([{ amount: "110.00", direction: "credit", booking_date: today, reference: order.reference, bank_id: "TX-CRASH" }])
      await upload(file)
      await expectBooks(order.order_id, 110)
      // The state a process killed after the receipt's commit leaves: the line still `matched`.
      const knex = getContainer().resolve("__pg_connection__")
      await knex("payment_desk_bank_transaction").where({ bank_transaction_id: "TX-CRASH" }).update({ status: "matched", audit_entry_id: null })
      const again = await upload(file)
      expect(again.data.bank_statement.duplicates).toBe(1)
      const [line] = await desk().listBankTransactions({ bank_transaction_id: "TX-CRASH" })
      expect(line.status).toBe("recorded")
      expect(line.audit_entry_id).toBeTruthy()
      await expectBooks(order.order_id, 110)
    })

    it("seam 2: a line confirmed from review whose process died after Medusa's capture is finished by the re-import, never captured again", async () => {
      const order = await bankOrder()
      const file = camt([{ amount: "110.00", direction: "credit", booking_date: today, remittance: "lamp, thanks", name: "Anna Beispiel", bank_id: "TX-DIED" }])
      const { data } = await upload(file)
      expect(data.bank_statement).toMatchObject({ recorded: 0, review: 1 })
      const [line] = await desk().listBankTransactions({ bank_transaction_id: "TX-DIED" })
      const [user] = await getContainer().resolve(Modules.USER).listUsers({ email: "admin@payment-desk.test" })
      // A person confirms it for the order in a second process, which dies as the audit entry is written.
      const run = await crashExec("crash-receipt.ts", dbConfig.dbName!, {
        CRASH_AT: "audit",
        CRASH_BANK_TRANSACTION_ID: line.id,
        CRASH_ORDER_ID: order.order_id,
        CRASH_ACTOR_ID: user.id,
      })
      expect(run.code).toBe(CRASHED)
      const captured = await getContainer().resolve(Modules.PAYMENT).listCaptures({ payment_id: order.payment_id })
      expect(captured.map((c: { amount: unknown }) => Number(c.amount))).toEqual([110])
      expect(await desk().listAuditEntries({ order_id: order.order_id, action: "payment_recorded" })).toHaveLength(0)

      const again = await upload(file)
      expect(again.data.bank_statement.duplicates).toBe(1)
      const [marked] = await desk().listBankTransactions({ bank_transaction_id: "TX-DIED" })
      expect(marked).toMatchObject({ status: "recorded", order_id: order.order_id })
      expect(marked.audit_entry_id).toBeTruthy()
      // One capture, one receipt, written under the line's key.
      await expectBooks(order.order_id, 110)
      expect(await desk().listReceipts({ order_id: order.order_id })).toMatchObject([
        { key: `bank-transaction:${line.id}`, status: "recorded", audit_entry_id: marked.audit_entry_id },
      ])
    })

    describe("imports over bank_statements.inline_booking_limit: booked by the workers", () => {
      // A store that books at most one line in the upload: two lines go to the workers (the default is 200).
      let limitBefore: number
      beforeAll(() => {
        const options = desk().getOptions().bank_statements
        limitBefore = options.inline_booking_limit
        options.inline_booking_limit = 1
      })
      afterAll(() => {
        desk().getOptions().bank_statements.inline_booking_limit = limitBefore
      })
      const BATCH_EVENT = "payment_desk.bank_lines_to_book_found"
      const eventBus = () => getContainer().resolve(Modules.EVENT_BUS)
      /** Resolves once the plugin's subscriber has booked `count` batches (here the local event bus, in this process). */
      const batchesBooked = (count = 1) => TestEventUtils.waitSubscribersExecution(BATCH_EVENT, eventBus(), { timeout: 60_000, triggerCount: count })
      const receiptsOf = (orderId: string) => desk().listAuditEntries({ order_id: orderId, action: "payment_recorded" })
      const statementOf = async (id: string) => (await http.get(`/admin/payment-desk/bank-statements/${id}`, admin)).data.bank_statement
      /** Every entry of the file is accounted for: recorded, payouts, waiting, ignored, being booked or skipped. */
      const accountedFor = (s: Record<string, any>) => s.recorded + s.payouts_recorded + s.review + s.ignored + s.booking + s.skipped.length
      /** Orders of 110 EUR to pay, placed side by side. */
      const bankOrders = (count: number) => Promise.all(Array.from({ length: count }, () => bankOrder()))
      const exactCredits = (orders: { reference: string }[], prefix: string): BuildCamtLine[] =>
        orders.map((order, i) => ({ amount: "110.00", direction: "credit", booking_date: today, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN, bank_id: `${prefix}-${i}` }))

      it("answers a statement over the limit before booking, hands its lines to the workers and books every exact match once; a batch delivered again books nothing twice", async () => {
        const orders = await bankOrders(2)
        const booked = batchesBooked()
        const { data, status } = await upload(camt(exactCredits(orders, "TX-FLEET")))
        // The answer: stored, nothing booked yet, every line accounted for as being booked.
        expect(status).toBe(201)
        expect(data.bank_statement).toMatchObject({
          lines: 2,
          recorded: 0,
          review: 0,
          booking: 2,
          booking_progress: { to_book: 2, booked: 0, remaining: 2, done: false, message: "Booking 0 of 2 lines…" },
        })
        expect(accountedFor(data.bank_statement)).toBe(data.bank_statement.entries)
        await booked
        const after = await statementOf(data.bank_statement.id)
        expect(after).toMatchObject({ recorded: 2, review: 0, booking: 0, booking_progress: { booked: 2, done: true, message: "All 2 lines booked" } })
        expect(accountedFor(after)).toBe(after.entries)
        const lines = await linesOf(data.bank_statement.id)
        expect(lines.map((line: { status: string }) => line.status)).toEqual(["recorded", "recorded"])

        // The batch delivered again (its worker died before BullMQ heard back): nothing is booked twice.
        const [user] = await getContainer().resolve(Modules.USER).listUsers({ email: "admin@payment-desk.test" })
        const batch = {
          bank_statement_id: data.bank_statement.id,
          bank_transaction_ids: lines.map((line: { id: string }) => line.id),
          actor: { type: "user" as const, id: user.id, email: user.email },
          may_record_payouts: true,
          ip: null,
          user_agent: null,
          found_at: new Date().toISOString(),
        }
        const container = getContainer() as MedusaContainer
        expect(await bookBankLineBatch(container, batch)).toEqual({ given: 2, booked: 0, recorded: 0, failed: 0 })
        // And again from the state a worker killed between a receipt's commit and its line's mark leaves: only the mark is made.
        const knex = getContainer().resolve("__pg_connection__")
        await knex("payment_desk_bank_transaction").where({ id: lines[0].id }).update({ status: "matched", audit_entry_id: null })
        expect(await bookBankLineBatch(container, batch)).toEqual({ given: 2, booked: 1, recorded: 1, failed: 0 })
        for (const order of orders) {
          expect(await receiptsOf(order.order_id)).toHaveLength(1)
          await expectBooks(order.order_id, 110)
        }
        expect(await statementOf(data.bank_statement.id)).toMatchObject({ recorded: 2, booking: 0 })
      })

      it("lines whose batch never reached a worker stay matched, and the scheduled pickup hands them out again", async () => {
        const orders = await bankOrders(2)
        // The event bus refuses the batches (Redis away): the upload still answers, the lines wait.
        const lost = faultOnce(eventBus(), "emit", { when: (events: unknown) => [events].flat().some((e) => (e as { name?: string })?.name === BATCH_EVENT) })
        let statementId: string
        try {
          const { data } = await upload(camt(exactCredits(orders, "TX-LOST")))
          expect(lost.fired).toBe(1)
          expect(data.bank_statement).toMatchObject({ recorded: 0, booking: 2 })
          statementId = data.bank_statement.id
        } finally {
          lost.restore()
        }
        const container = getContainer() as MedusaContainer
        // Not yet: a batch may still be waiting for a worker.
        expect(await reconcileRefundsJob(container)).toMatchObject({ stale_bank_lines: 0, bank_line_batches: 0 })
        expect(await receiptsOf(orders[0].order_id)).toHaveLength(0)
        const knex = getContainer().resolve("__pg_connection__")
        await knex("payment_desk_bank_transaction").where({ bank_statement_id: statementId }).update({ updated_at: knex.raw(`updated_at - interval '11 minutes'`) })
        const booked = batchesBooked()
        expect(await reconcileRefundsJob(container)).toMatchObject({ stale_bank_lines: 2, bank_line_batches: 1 })
        await booked
        for (const order of orders) {
          expect(await receiptsOf(order.order_id)).toHaveLength(1)
          await expectBooks(order.order_id, 110)
        }
        const after = await statementOf(statementId)
        expect(after).toMatchObject({ recorded: 2, booking: 0, booking_progress: { done: true } })
        expect(accountedFor(after)).toBe(after.entries)
        // The receipts are the uploader's, as if the batch had come through at once.
        const [receipt] = await receiptsOf(orders[0].order_id)
        expect(receipt.actor_email).toBe("admin@payment-desk.test")
      })

      it("books no payout in a batch of an uploader without the refund permission: the debit waits in review, the credits are booked", async () => {
        const clerk = await adminHeaders(getContainer(), http, CLERK)
        const [{ refund_id, end_to_end_id }, orders] = await Promise.all([refundAwaitingPayout(30), bankOrders(1)])
        const debit: BuildCamtLine = { amount: "30.00", direction: "debit", booking_date: today, end_to_end_id, name: "Erika Mustermann", iban: PAYER_IBAN }
        const booked = batchesBooked()
        const { data } = await upload(camt([debit, ...exactCredits(orders, "TX-CLERK")]), "clerk.xml", {}, clerk)
        expect(data.bank_statement).toMatchObject({ booking: 2, booking_progress: { to_book: 2 } })
        await booked
        const after = await statementOf(data.bank_statement.id)
        expect(after).toMatchObject({ recorded: 1, payouts_recorded: 0, review: 1, booking: 0 })
        expect(accountedFor(after)).toBe(after.entries)
        const debitLine = (await linesOf(data.bank_statement.id)).find((line: { direction: string }) => line.direction === "debit")
        expect([debitLine.status, /refund permission/.test(debitLine.review_reason ?? "")]).toEqual(["review", true])
        expect(await refundStatus(refund_id)).toBe("awaiting_payout")
        for (const order of orders) {
          await expectBooks(order.order_id, 110)
        }
      })
    })

    // Refund payouts: SEPA files, their exports and payees (formerly
    // payouts.spec.ts, the same store options: one Medusa app for both saves a
    // boot per CI run).
    describe("refund payouts", () => {
      const desk = () => getContainer().resolve(PAYMENT_DESK_MODULE)

      async function bankOrder() {
        const { order_id } = await placeOrder(getContainer(), store, {
          provider_id: "pp_manual_bank-transfer",
          email: `payer-${Math.random().toString(36).slice(2, 8)}@example.com`,
          items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
        })
        const { data } = await http.get(`/admin/payment-desk/orders/${order_id}`, admin)
        return { order_id, display_id: data.display_id as number, reference: creditorReference(data.display_id) }
      }

      const camt = (lines: BuildCamtLine[]) => camtFile(STORE_IBAN, lines)
      const upload = (content: string) => uploadStatement(http, admin, content)

      /** A bank-transfer order paid by statement (110 EUR, payer Erika) with a manual refund of `amount` awaiting payout. */
      async function refundAwaitingPayout(amount: number) {
        const order = await bankOrder()
        await upload(camt([{ amount: "110.00", direction: "credit", booking_date: today, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN }]))
        const { data } = await http.post(`/admin/payment-desk/orders/${order.order_id}/refunds`, { amount }, admin)
        expect(data.refund_request.status).toBe("awaiting_payout")
        const id = data.refund_request.id as string
        return { order, refund_id: id, end_to_end_id: id.replace("_", "-") }
      }

      it("exports a refund in one SEPA file only: a second export leaves it out", async () => {
        const { refund_id, end_to_end_id } = await refundAwaitingPayout(30)
        const first = await answer(http.get("/admin/payment-desk/payouts/sepa", admin))
        const second = await answer(http.get("/admin/payment-desk/payouts/sepa", admin))
        const [row] = await desk().listRefundRequests({ id: refund_id })
        expect({
          first: [first.status, endToEndIds(first.data).includes(end_to_end_id)],
          second_includes_it: second.status === 200 && endToEndIds(second.data).includes(end_to_end_id),
          status: row.status,
        }).toEqual({ first: [200, true], second_includes_it: false, status: "awaiting_payout" })
        const [entry] = await desk().listAuditEntries({ action: "refund_payout_exported", reference: messageId(first.data) })
        expect(entry).toMatchObject({ actor_type: "user", amount: 30, metadata: expect.objectContaining({ refund_request_id: refund_id }) })
      })

      it("re-exports an earlier file only when asked: the same payments under a new message id, audited, with the refund permission", async () => {
        const clerk = await adminHeaders(getContainer(), http, "clerk@payment-desk.test")
        const { refund_id, end_to_end_id } = await refundAwaitingPayout(40)
        const first = await http.post("/admin/payment-desk/payouts/sepa", {}, admin)
        const { data: listed } = await http.get("/admin/payment-desk/payouts/sepa/exports", admin)
        const exportId = listed.payout_exports[0].id as string
        const listedExport = listed.payout_exports.find((e: { id: string }) => e.id === exportId)
        const clerkTry = await failure(http.post("/admin/payment-desk/payouts/sepa", { export_id: exportId }, clerk))
        const again = await http.post("/admin/payment-desk/payouts/sepa", { export_id: exportId }, admin)
        const transfers = (xml: string) => {
          const infos = [parser.parse(xml).Document.CstmrCdtTrfInitn.PmtInf].flat()
          return infos
            .flatMap((info: { CdtTrfTxInf: unknown }) => [info.CdtTrfTxInf].flat())
            .map((t: any) => [String(t.PmtId.EndToEndId), String(t.CdtrAcct.Id.IBAN), Number(t.Amt.InstdAmt["#text"] ?? t.Amt.InstdAmt), t.Cdtr.Nm])
            .sort()
        }
        const reexported = await desk().listAuditEntries({ action: "refund_payout_reexported", reference: messageId(again.data) })
        // The first file is superseded by its re-export: repeating it again is refused, the re-export can be repeated.
        const stale = await failure(http.post("/admin/payment-desk/payouts/sepa", { export_id: exportId }, admin))
        const [row] = await desk().listRefundRequests({ id: refund_id })
        expect({
          listed: [listedExport?.message_id, listedExport?.re_exportable.includes(refund_id), listedExport?.payments.some((p: any) => p.refund_request_id === refund_id)],
          clerk: clerkTry.status,
          same_payments: JSON.stringify(transfers(again.data)) === JSON.stringify(transfers(first.data)),
          includes_mine: endToEndIds(again.data).includes(end_to_end_id),
          new_message_id: messageId(again.data) !== messageId(first.data),
          audited: reexported.map((e: any) => [e.actor_type, !!e.actor_id, e.metadata.re_export_of]),
          stale: stale.status,
          status: row.status,
        }).toEqual({
          listed: [messageId(first.data), true, true],
          clerk: 403,
          same_payments: true,
          includes_mine: true,
          new_message_id: true,
          audited: transfers(again.data).map(() => ["user", true, exportId]),
          stale: 409,
          status: "awaiting_payout",
        })
      })

      it("two exports at the same moment put each refund into exactly one file", async () => {
        const refunds = [await refundAwaitingPayout(11), await refundAwaitingPayout(12), await refundAwaitingPayout(13)]
        const answers = await Promise.all([
          answer(http.post("/admin/payment-desk/payouts/sepa", {}, admin)),
          answer(http.post("/admin/payment-desk/payouts/sepa", {}, admin)),
        ])
        const files = answers.filter((a) => a.status === 200).map((a) => endToEndIds(a.data))
        const all = files.flat()
        expect({
          statuses: answers.map((a) => a.status).every((status) => status === 200 || status === 409),
          each_once: refunds.map((r) => all.filter((id) => id === r.end_to_end_id).length),
          no_duplicates: all.length === new Set(all).size,
        }).toEqual({ statuses: true, each_once: [1, 1, 1], no_duplicates: true })
      })

      it("a returned payout goes into the next export again", async () => {
        const { refund_id, end_to_end_id, order } = await refundAwaitingPayout(25)
        await http.post("/admin/payment-desk/payouts/sepa", {}, admin)
        await upload(camt([{ amount: "25.00", direction: "debit", booking_date: today, end_to_end_id, name: "Erika Mustermann", iban: PAYER_IBAN }]))
        const { data } = await upload(
          camt([{ amount: "25.00", direction: "credit", booking_date: today, end_to_end_id, reference: order.reference, name: "Erika Mustermann", iban: PAYER_IBAN }])
        )
        const { data: lines } = await http.get(`/admin/payment-desk/bank-transactions?bank_statement_id=${data.bank_statement.id}`, admin)
        await http.post(`/admin/payment-desk/bank-transactions/${lines.bank_transactions[0].id}/confirm`, {}, admin)
        const next = await http.post("/admin/payment-desk/payouts/sepa", {}, admin)
        const [row] = await desk().listRefundRequests({ id: refund_id })
        expect([row.status, endToEndIds(next.data).includes(end_to_end_id)]).toEqual(["awaiting_payout", true])
      })

      it("no payee: the refunds list says so, the payout account can be added until the refund is exported, audited with masked IBANs", async () => {
        // Paid through the record route, no bank line: a close's manual refund has nobody to pay.
        const order = await bankOrder()
        await http.post(`/admin/payment-desk/orders/${order.order_id}/payments`, { amount: 110, method: "bank-transfer" }, admin)
        await http.post(`/admin/payment-desk/orders/${order.order_id}/close`, { reason: "customer_request" }, admin)
        const listed = async () =>
          (await http.get(`/admin/payment-desk/refunds?order_id=${order.order_id}`, admin)).data.refund_requests[0]
        const before = await listed()
        const exportBefore = await answer(http.post("/admin/payment-desk/payouts/sepa", {}, admin))
        // Nothing else awaits payout, so nothing is exported: the answer names the order and customer and what to do, no ids or field names.
        const skippedBefore = exportBefore.status === 404
          ? [
              exportBefore.data.message.includes(`order #${before.order_display_id} (`),
              exportBefore.data.message.includes("add the payee's name and IBAN to the refund"),
              /pdref_|payout_account|\/admin\//.test(exportBefore.data.message),
            ]
          : !endToEndIds(exportBefore.data).includes(before.id.replace("_", "-"))
        const route = `/admin/payment-desk/refunds/${before.id}/payout-account`
        const badIban = await failure(http.post(route, { name: "Erika Mustermann", iban: "DE00 1234" }, admin))
        const badName = await failure(http.post(route, { name: "🙂 🙂", iban: PAYER_IBAN }, admin))
        const longName = await failure(http.post(route, { name: "A".repeat(71), iban: PAYER_IBAN }, admin))
        const unknown = await failure(http.post(route, { name: "Erika", iban: PAYER_IBAN, note: "x" }, admin))
        const set = await http.post(route, { name: "Erika Mustermann", iban: "NL91 ABNA 0417 1643 00", bic: "ABNANL2A" }, admin)
        const corrected = await http.post(route, { name: "Erika M. Mustermann", iban: PAYER_IBAN }, admin)
        const file = await http.post("/admin/payment-desk/payouts/sepa", {}, admin)
        const afterExport = await failure(http.post(route, { name: "Someone Else", iban: "DE89370400440532013000" }, admin))
        const entries = await desk().listAuditEntries({ action: "refund_payout_account_set", order_id: order.order_id }, { order: { created_at: "ASC" } })
        const document = parser.parse(file.data)
        const mine = [document.Document.CstmrCdtTrfInitn.PmtInf]
          .flat()
          .flatMap((info: { CdtTrfTxInf: unknown }) => [info.CdtTrfTxInf].flat())
          .find((t: any) => t.PmtId.EndToEndId === before.id.replace("_", "-")) as any
        expect({
          before: [before.status, before.needs_payee, before.payee],
          skipped_before: skippedBefore,
          errors: [badIban, badName, longName, unknown].map((e) => [e.status, fieldOf(e)]),
          set: [set.data.refund_request.needs_payee, set.data.refund_request.payee],
          corrected: corrected.data.refund_request.payee.name,
          in_file: [mine?.Cdtr?.Nm, String(mine?.CdtrAcct?.Id?.IBAN)],
          after_export: [afterExport.status, /SEPA export/.test(afterExport.data.message)],
          audit: entries.map((e: any) => [e.metadata.before?.iban_masked ?? null, e.metadata.after.iban_masked, JSON.stringify(e.metadata).includes(PAYER_IBAN)]),
          after_list: (await listed()).needs_payee,
        }).toEqual({
          before: ["awaiting_payout", true, null],
          skipped_before: exportBefore.status === 404 ? [true, true, false] : true,
          errors: [
            [400, "iban"],
            [400, "name"],
            [400, "name"],
            [400, "unrecognized"],
          ],
          set: [false, { name: "Erika Mustermann", iban_masked: "••••••••••••••4300", bic: "ABNANL2A", source: "refund" }],
          corrected: "Erika M. Mustermann",
          in_file: ["Erika M. Mustermann", PAYER_IBAN],
          after_export: [409, true],
          audit: [
            [null, "••••••••••••••4300", false],
            ["••••••••••••••4300", "••••••••••••••4300", false],
          ],
          after_list: false,
        })
      })

      it("the order summary names the payer of its bank line, the default payee its refunds show, and which refund has nobody to pay", async () => {
        const { order, refund_id } = await refundAwaitingPayout(30)
        const unpaidByBank = await bankOrder()
        await http.post(`/admin/payment-desk/orders/${unpaidByBank.order_id}/payments`, { amount: 110, method: "bank-transfer" }, admin)
        const closed = await http.post(`/admin/payment-desk/orders/${unpaidByBank.order_id}/close`, { reason: "customer_request" }, admin)
        const summary = (await http.get(`/admin/payment-desk/orders/${order.order_id}`, admin)).data
        const { data: credits } = await http.get(`/admin/payment-desk/bank-transactions?order_id=${order.order_id}&direction=credit`, admin)
        const { data: one } = await http.get(`/admin/payment-desk/bank-transactions?id=${credits.bank_transactions[0].id}`, admin)
        const refund = summary.refunds.find((row: { id: string }) => row.id === refund_id)
        expect({
          payer: summary.payer,
          refund: [refund.status, refund.needs_payee, refund.payee],
          closed_payer: closed.data.summary.payer,
          closed_refund: [
            closed.data.summary.refunds[0].status,
            closed.data.summary.refunds[0].needs_payee,
            closed.data.summary.refunds[0].payee,
            closed.data.summary.refunds[0].note,
            closed.data.summary.refunds[0].system_note,
          ],
          line_by_id: [one.count, one.bank_transactions[0].id === credits.bank_transactions[0].id, one.bank_transactions[0].status],
        }).toEqual({
          payer: { name: "Erika Mustermann", iban: PAYER_IBAN },
          refund: ["awaiting_payout", false, { name: "Erika Mustermann", iban_masked: "••••••••••••••4300", bic: null, source: "bank_line" }],
          closed_payer: null,
          // The close's refund carries the plugin's own note as a code (the admin says it in the reader's language) and in English.
          closed_refund: [
            "awaiting_payout",
            true,
            null,
            null,
            { code: "order_closed", params: { reason: "customer_request" }, text: "Order closed: Customer request" },
          ],
          line_by_id: [1, true, "recorded"],
        })
      })

      it("issue 20: an umlaut name is accepted and transliterated, a long one cut with a note, and a payee no file can carry is skipped while the rest are exported", async () => {
        const umlaut = await refundAwaitingPayout(11)
        const long = await refundAwaitingPayout(12)
        const blocked = await refundAwaitingPayout(13)
        const typed = await http.post(`/admin/payment-desk/refunds/${umlaut.refund_id}/payout-account`, { name: "Jürgen Groß", iban: PAYER_IBAN }, admin)
        const nul = await failure(http.post(`/admin/payment-desk/refunds/${umlaut.refund_id}/payout-account`, { name: "Jürgen\u0000", iban: PAYER_IBAN }, admin))
        // Names that reached the refund before today's checks (or from a bank line): longer than 70, and nothing SEPA can write.
        const longName = `Zoë Ångström-Müller ${"und Söhne ".repeat(8)}`.trim()
        await desk().updateRefundRequests([
          { id: long.refund_id, metadata: { payout_account: { name: longName, iban: PAYER_IBAN, bic: null, source: "refund" } } },
          { id: blocked.refund_id, metadata: { payout_account: { name: "🙂🙂", iban: PAYER_IBAN, bic: null, source: "refund" } } },
        ])
        const { data: preview } = await http.get("/admin/payment-desk/payouts/sepa/exports", admin)
        const file = await http.post("/admin/payment-desk/payouts/sepa", {}, admin)
        const document = parser.parse(file.data)
        const names = new Map(
          [document.Document.CstmrCdtTrfInitn.PmtInf]
            .flat()
            .flatMap((info: { CdtTrfTxInf: unknown }) => [info.CdtTrfTxInf].flat())
            .map((t: any) => [String(t.PmtId.EndToEndId), String(t.Cdtr.Nm)])
        )
        const note = (id: string) => preview.next_export.payments.find((p: any) => p.refund_request_id === id)?.note ?? null
        expect({
          typed: [typed.status, typed.data.refund_request.payee.name],
          nul: [nul.status, nul.data.message],
          in_file: [names.get(umlaut.end_to_end_id), names.get(long.end_to_end_id)?.startsWith("Zoe Angstroem-Mueller und Soehne"), (names.get(long.end_to_end_id)?.length ?? 99) <= 70, names.has(blocked.end_to_end_id)],
          notes: [note(umlaut.refund_id), /cut to 70 characters/.test(note(long.refund_id) ?? "")],
          skipped_header: file.headers["x-payment-desk-skipped"],
          skipped_preview: preview.next_export.skipped.find((s: any) => s.refund_request_id === blocked.refund_id)?.reason,
          skipped_facts: preview.next_export.skipped
            .filter((s: any) => s.refund_request_id === blocked.refund_id)
            .map((s: any) => [s.code, typeof s.order_display_id, s.customer_name, s.amount, s.currency_code]),
        }).toEqual({
          typed: [200, "Jürgen Groß"],
          nul: [400, expect.stringContaining("name: must not hold control characters (U+0000 at position 7)")],
          in_file: ["Juergen Gross", true, true, false],
          notes: ['name "Jürgen Groß" written as "Juergen Gross" (SEPA characters)', true],
          skipped_header: expect.stringContaining(blocked.refund_id),
          skipped_preview: expect.stringContaining("has no characters a SEPA file can carry"),
          skipped_facts: [["payee_name", "number", expect.any(String), expect.stringMatching(/^\d+\.\d\d$/), "eur"]],
        })
      })

      it("the close asks for the payee: a close's manual refund keeps the payout account given, checked like the refund's", async () => {
        const order = await bankOrder()
        await http.post(`/admin/payment-desk/orders/${order.order_id}/payments`, { amount: 110, method: "bank-transfer" }, admin)
        const badName = await failure(
          http.post(`/admin/payment-desk/orders/${order.order_id}/close`, { reason: "customer_request", payout_account: { name: "Zoë\u0007", iban: PAYER_IBAN } }, admin)
        )
        const refundName = await failure(
          http.post(`/admin/payment-desk/orders/${order.order_id}/refunds`, { amount: 10, payout_account: { name: "B".repeat(71), iban: PAYER_IBAN } }, admin)
        )
        const closed = await http.post(
          `/admin/payment-desk/orders/${order.order_id}/close`,
          { reason: "customer_request", payout_account: { name: "Erika Mustermann", iban: PAYER_IBAN } },
          admin
        )
        const { data } = await http.get(`/admin/payment-desk/refunds?order_id=${order.order_id}`, admin)
        expect({
          bad_name: [badName.status, fieldOf(badName)],
          refund_name: [refundName.status, fieldOf(refundName)],
          closed: !!closed.data.order_closure,
          refund: [data.refund_requests[0].status, data.refund_requests[0].needs_payee, data.refund_requests[0].payee?.name, data.refund_requests[0].payee?.source],
        }).toEqual({
          bad_name: [400, "payout_account.name"],
          refund_name: [400, "payout_account.name"],
          closed: true,
          refund: ["awaiting_payout", false, "Erika Mustermann", "refund"],
        })
      })
    })
  },
})
