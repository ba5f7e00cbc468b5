import { monitorEventLoopDelay } from "node:perf_hooks"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import { adminHeaders, Api, failure } from "../helpers/http"
import { faultOnce } from "../helpers/faults"
import { uploadStatement } from "../helpers/statements"

// Issue 20: uploads that cannot stall the store. Its own spec: the files are larger than bank-statements.spec's 0.5 MB limit.
jest.setTimeout(300_000)

const STORE_IBAN = "DE89370400440532013000"

process.env.PAYMENT_DESK_MANUAL_METHODS = JSON.stringify([
  {
    method: "bank-transfer",
    currencies: ["eur"],
    accounts: [{ currency: "eur", account_holder: "Payment Desk Demo GmbH", iban: STORE_IBAN, bic: "COBADEFFXXX" }],
  },
])
process.env.PAYMENT_DESK_OPTIONS = JSON.stringify({
  bank_statements: {
    max_file_mb: 12,
    csv_profiles: {
      short: {
        delimiter: ";",
        decimal: ",",
        date_format: "DD.MM.YYYY",
        account_iban: STORE_IBAN,
        currency: "EUR",
        pending_values: ["Umsatz vorgemerkt"],
        columns: { booking_date: "Datum", amount: "Betrag", remittance: "Text", status: "Status" },
      },
    },
  },
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      admin = await adminHeaders(getContainer(), http)
    })

    const desk = () => getContainer().resolve(PAYMENT_DESK_MODULE)
    const upload = (content: string | Buffer, fileName: string, fields: Record<string, string> = {}) =>
      uploadStatement(http, admin, content, fileName, fields)
    const statementsVisible = async () => (await http.get("/admin/payment-desk/bank-statements", admin)).data.count as number

    it("an 800 kB pathological file and a 10 MB CSV of short lines answer a clear 400 while no /health poll waits over 2 s on the server", async () => {
      const pathological = Buffer.from("<" + "<Document xmlns:a='x' ".repeat(38_000))
      const shortLines = Buffer.from("Datum;Betrag;Text;Status\n" + "01.11.2026;1,00;x;\n".repeat(560_000))
      expect([pathological.length > 800_000, shortLines.length > 10_000_000]).toEqual([true, true])

      // Each poll's wall time and the longest the event loop was late meanwhile
      // (Node's event-loop delay histogram; the server and this client share
      // the loop). A poll waits on the server for at most that delay: when the
      // machine is busy (a second jest worker and the browser lane share the 2
      // cores under `npm test`) the wall time also counts the waits for a core
      // and this process's other work between the server's slices, which the
      // loop's lateness leaves out. A poll that waited on a blocked event loop
      // (a long parse, a long garbage collection) shows both long.
      const polls: { wall: number; late: number }[] = []
      let polling = true
      const delay = monitorEventLoopDelay({ resolution: 10 })
      delay.enable()
      const poller = (async () => {
        while (polling) {
          const started = performance.now()
          delay.reset()
          await http.get("/health")
          polls.push({ wall: performance.now() - started, late: delay.max / 1e6 })
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      })()
      const started = performance.now()
      const cpuBefore = process.cpuUsage()
      const xml = await failure(upload(pathological, "hostile.xml"))
      const csv = await failure(upload(shortLines, "short-lines.csv", { profile: "short" }))
      const wall = performance.now() - started
      // The server runs in this process: its CPU for both uploads (and the
      // polls), which unlike the wall time does not grow with the machine's load.
      const cpu = process.cpuUsage(cpuBefore)
      const cpuMs = (cpu.user + cpu.system) / 1000
      polling = false
      await poller
      delay.disable()

      expect({
        xml: [xml.status, xml.data.message],
        csv: [csv.status, csv.data.message],
        polled: polls.length > 3,
        statements: await statementsVisible(),
      }).toEqual({
        xml: [400, expect.stringContaining("hostile.xml: is not a CAMT.053, CAMT.054 or MT940 statement")],
        csv: [400, expect.stringContaining("short-lines.csv line 100002: holds more than 100,000 rows (bank_statements.max_lines)")],
        polled: true,
        statements: 0,
      })
      // The longest a poll waited on the server while both uploads ran: its wall
      // time, or the event loop's longest lateness meanwhile when that is less
      // (the rest was a wait for a core). Before, /health went unanswered for 38 s and
      // 257 s. Alone on a quiet machine every poll's wall time is under 500 ms
      // too, but with every core taken by other suites a poll waited 1,004 ms
      // (a clean-clone run beside a second test run), so the bound here is 2 s:
      // it still catches a parse that holds the event loop (seconds to minutes).
      // The ~50 ms stall itself is held by the unit test "the 660,000-row cap"
      // and measured in `npm run bench`.
      const waited = polls.map(({ wall, late }) => Math.min(wall, late))
      process.stdout.write(
        `hostile uploads: ${Math.round(wall)} ms wall, ${Math.round(cpuMs)} ms CPU, ${polls.length} polls, slowest ${Math.round(Math.max(...polls.map((p) => p.wall)))} ms wall, longest wait on the server ${Math.round(Math.max(...waited))} ms\n`
      )
      expect(Math.round(Math.max(...waited))).toBeLessThan(2_000)
      // Bounded work: the two refusals cost seconds of CPU (4.7 s in a run
      // beside one other suite), not the minutes a whole-file regex or a parse
      // past the cap would. The wall time is not asserted: 6 s beside one
      // suite, it took 31 s in a clean-clone `npm test` with every core taken.
      expect(cpuMs).toBeLessThan(20_000)
    })

    it("imports a bank's CSV with a preamble, pending rows and summary rows, reporting what it skipped", async () => {
      const text = [
        "Umsatzanzeige;Girokonto",
        "Zeitraum;01.11.2026 - 30.11.2026",
        "",
        "Datum;Betrag;Text;Status",
        "01.11.2026;12,00;first;Umsatz gebucht",
        "02.11.2026;3,00;not yet;Umsatz vorgemerkt",
        "03.11.2026;-4,00;fee;Umsatz gebucht",
        "Kontostand;11,00;;",
      ].join("\n")
      const { status, data } = await upload(`\uFEFF${text}`, "giro.csv", { profile: "short" })
      expect([status, data.bank_statement.lines, data.bank_statement.pending, data.bank_statement.summary_rows]).toEqual([
        201,
        2,
        1,
        [{ line: 8, text: "Kontostand;11,00;;" }],
      ])
    })

    it("a failed import leaves nothing visible: its staged lines go with it", async () => {
      const before = await statementsVisible()
      const fault = faultOnce(desk(), "commitBankStatement")
      try {
        const rows = Array.from({ length: 2_500 }, (_, i) => `01.11.2026;${i + 1},00;line ${i};`)
        const answer = await failure(upload(["Datum;Betrag;Text;Status", ...rows].join("\n"), "staged.csv", { profile: "short" }))
        expect(answer.status).toBeGreaterThanOrEqual(400)
      } finally {
        fault.restore()
      }
      const [statements, lines] = await Promise.all([
        desk().listBankStatements({ file_name: "staged.csv" }, { withDeleted: true }),
        desk().listBankTransactions({ remittance: "line 1" }, { withDeleted: true }),
      ])
      expect([await statementsVisible(), statements.length, lines.length]).toEqual([before, 0, 0])
      // The same file imports whole afterwards.
      const rows = Array.from({ length: 2_500 }, (_, i) => `01.11.2026;${i + 1},00;line ${i};`)
      const { data } = await upload(["Datum;Betrag;Text;Status", ...rows].join("\n"), "staged.csv", { profile: "short" })
      expect([data.bank_statement.lines, data.bank_statement.review + data.bank_statement.recorded + data.bank_statement.ignored]).toEqual([2_500, 2_500])
    })

    it("refuses profile=__proto__ and constructor, and control characters in a CSV cell, naming the field and line", async () => {
      const csv = "Datum;Betrag;Text;Status\n01.11.2026;1,00;ok;\n02.11.2026;2,00;bad\u0000;\n"
      const proto = await failure(upload(csv, "p.csv", { profile: "__proto__" }))
      const ctor = await failure(upload(csv, "c.csv", { profile: "constructor" }))
      const nul = await failure(upload(csv, "nul.csv", { profile: "short" }))
      expect([proto.status, proto.data.message]).toEqual([400, expect.stringContaining("profile: must be the name of a configured CSV profile")])
      expect([ctor.status, ctor.data.message]).toEqual([400, expect.stringContaining('profile: "constructor" is not a configured CSV profile')])
      expect([nul.status, nul.data.message]).toEqual([400, "nul.csv line 3: remittance holds a control character (U+0000), which a statement line cannot"])
    })
  },
})
