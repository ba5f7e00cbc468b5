// `medusa exec ./scripts/bench/hostile-import.ts` (run by `npm run bench`,
// part `hostile`): issue 20's uploads through the import workflow in this
// process, each with its wall time, the longest event-loop stall
// (perf_hooks monitorEventLoopDelay) and the peak RSS: a 10 MB CSV of
// 660,000 short lines (refused at bank_statements.max_lines), an 800 kB
// file that opens <Document everywhere, a 10,000-entry CAMT.053 and an
// MT940 file of 10,000 `:61:` lines, both naming no order (parsed, matched,
// staged, left for review). Writes JSON to
// BENCH_HOSTILE_OUT, and each file into the folder BENCH_HOSTILE_FILES when set. Needs the CSV profile `bench_short` in PAYMENT_DESK_OPTIONS.
import fs from "node:fs"
import path from "node:path"
import { monitorEventLoopDelay } from "node:perf_hooks"
import type { ExecArgs } from "@medusajs/framework/types"
import { buildCamt053 } from "../lib/build-camt"
import { seedStore } from "../seed/store"
import { importBankStatementWorkflow } from "../../src/workflows/bank-statements/import-bank-statement"
import { readBankStatement } from "../../src/utils/bank-statements/parse-bank-statement"
import { holdUpload } from "../../src/utils/bank-statements/uploads"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"

const mb = (bytes: number) => +(bytes / 1048576).toFixed(1)

export default async function hostileImport({ container }: ExecArgs) {
  await seedStore(container, { name: "Hostile upload bench" })
  const today = new Date().toISOString().slice(0, 10)
  const yymmdd = today.slice(2).replace(/-/g, "")
  const files: { name: string; content: Buffer; profile?: string }[] = [
    { name: "short-lines.csv", content: Buffer.from("Datum;Betrag;Text\n" + "01.11.2026;1;x\n".repeat(660_000)), profile: "bench_short" },
    { name: "pathological.xml", content: Buffer.from("<" + "<Document xmlns:a='x' ".repeat(38_000)) },
    {
      name: "camt-10000.xml",
      content: Buffer.from(
        buildCamt053({
          account_iban: "DE89370400440532013000",
          currency: "EUR",
          statements: [
            {
              id: `HOSTILE-${Date.now()}`,
              lines: Array.from({ length: 10_000 }, (_, i) => ({
                amount: "12.34",
                direction: "credit" as const,
                booking_date: today,
                remittance: `Payment ${i}`,
                bank_id: `HOSTILE-${i}`,
              })),
            },
          ],
        })
      ),
    },
    {
      name: "mt940-10000.sta",
      content: Buffer.from(
        `:20:HOSTILE-${Date.now()}\n:25:DE89370400440532013000\n:28C:1/1\n:60F:C${yymmdd}EUR0,00\n` +
          Array.from(
            { length: 10_000 },
            (_, i) => `:61:${yymmdd}C12,34NTRFNONREF//HOSTILE-MT-${i}\n:86:166?00SEPA-GUTSCHRIFT?20EREF+E2E-${i}?21SVWZ+Payment ${i}?32Erika Mustermann\n`
          ).join("") +
          `:62F:C${yymmdd}EUR123400,00\n`
      ),
    },
  ]
  const result: Record<string, unknown> = {}
  // Kept for `parse-alone.ts`, which reads each file again in a fresh process.
  const kept = process.env.BENCH_HOSTILE_FILES
  for (const file of files) {
    if (kept) {
      fs.mkdirSync(kept, { recursive: true })
      fs.writeFileSync(path.join(kept, file.name), file.content)
    }
    global.gc?.()
    await new Promise((resolve) => setTimeout(resolve, 200))
    const rssBefore = process.memoryUsage().rss
    let peakRss = rssBefore
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10)
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()
    await new Promise((resolve) => setTimeout(resolve, 30))
    const started = performance.now()
    let outcome: string
    try {
      const { result: imported } = await importBankStatementWorkflow(container).run({
        input: {
          file_name: file.name,
          // As the upload route passes it: held in the process, by id.
          upload_id: holdUpload(file.content),
          profile: file.profile ?? null,
          actor: { type: "system", id: "bench" },
        },
      })
      outcome = `imported ${imported.bank_statement.lines} lines (${imported.bank_statement.review} for review)`
    } catch (error) {
      outcome = `400 ${(error as Error).message}`.slice(0, 160)
    }
    const wallMs = performance.now() - started
    await new Promise((resolve) => setTimeout(resolve, 30))
    loop.disable()
    clearInterval(sampler)
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    // Where the stall is: the file's parse alone (no workflow, no database), timed and monitored the same way.
    const options = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().bank_statements
    const parseLoop = monitorEventLoopDelay({ resolution: 10 })
    parseLoop.enable()
    // The monitor's first tick only starts its clock: a block before it would go unseen.
    await new Promise((resolve) => setTimeout(resolve, 30))
    const parseStarted = performance.now()
    await readBankStatement(
      { file_name: file.name, content: file.content, profile: file.profile ? options.csv_profiles[file.profile] : undefined },
      { max_lines: options.max_lines }
    ).catch(() => null)
    const parseMs = performance.now() - parseStarted
    // The monitor's timer records a block only when it fires after it.
    await new Promise((resolve) => setTimeout(resolve, 30))
    parseLoop.disable()
    result[file.name] = {
      parse_only_ms: Math.round(parseMs),
      parse_only_stall_ms: Math.round(parseLoop.max / 1e6),
      bytes: file.content.length,
      outcome,
      wall_ms: Math.round(wallMs),
      longest_stall_ms: Math.round(loop.max / 1e6),
      rss_before_mb: mb(rssBefore),
      peak_rss_mb: mb(peakRss),
    }
  }
  fs.writeFileSync(process.env.BENCH_HOSTILE_OUT!, JSON.stringify(result, null, 2))
}
