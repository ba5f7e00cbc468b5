import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { XMLParser } from "fast-xml-parser"
import type { BuildCamtLine } from "../../scripts/lib/build-camt"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { creditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import { adminHeaders, answer, Api, failure } from "../helpers/http"
import { camtFile, uploadStatement } from "../helpers/statements"

jest.setTimeout(240_000)

const STORE_IBAN = "DE89370400440532013000"
const PAYER_IBAN = "NL91ABNA0417164300"

process.env.PAYMENT_DESK_MANUAL_METHODS = JSON.stringify([
  {
    method: "bank-transfer",
    currencies: ["eur"],
    accounts: [{ currency: "eur", account_holder: "Payment Desk Demo GmbH", iban: STORE_IBAN, bic: "COBADEFFXXX" }],
  },
])
process.env.PAYMENT_DESK_OPTIONS = JSON.stringify({ permissions: { refund: ["admin@payment-desk.test"] } })

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
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "Payouts spec", paymentProviders: ["pp_manual_bank-transfer"] })
      admin = await adminHeaders(getContainer(), http)
    })

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
      const skippedBefore = String(exportBefore.status === 200 ? "" : exportBefore.data.message).includes(before.id) ||
        (exportBefore.status === 200 && !endToEndIds(exportBefore.data).includes(before.id.replace("_", "-")))
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
        skipped_before: true,
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
        ],
        line_by_id: [one.count, one.bank_transactions[0].id === credits.bank_transactions[0].id, one.bank_transactions[0].status],
      }).toEqual({
        payer: { name: "Erika Mustermann", iban: PAYER_IBAN },
        refund: ["awaiting_payout", false, { name: "Erika Mustermann", iban_masked: "••••••••••••••4300", bic: null, source: "bank_line" }],
        closed_payer: null,
        // The close's refund says its reason in words (the admin shows the note beside it).
        closed_refund: ["awaiting_payout", true, null, "Order closed: Customer request"],
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
      }).toEqual({
        typed: [200, "Jürgen Groß"],
        nul: [400, expect.stringContaining("name: must not hold control characters (U+0000 at position 7)")],
        in_file: ["Juergen Gross", true, true, false],
        notes: ['name "Jürgen Groß" written as "Juergen Gross" (SEPA characters)', true],
        skipped_header: expect.stringContaining(blocked.refund_id),
        skipped_preview: expect.stringContaining("has no characters a SEPA file can carry"),
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
  },
})
