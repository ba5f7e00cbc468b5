// `medusa exec ./scripts/bench/import-memory.ts` with --expose-gc (run by
// `npm run bench`): the heap a statement import keeps after it ran, for
// 1,000 and 10,000 lines (lines naming no order: parsed, matched, stored,
// left for review). Writes JSON to BENCH_IMPORT_MEMORY_OUT.
import fs from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { buildCamt053 } from "../lib/build-camt"
import { seedStore } from "../seed/store"
import { importBankStatementWorkflow } from "../../src/workflows/bank-statements/import-bank-statement"

export default async function importMemory({ container }: ExecArgs) {
  await seedStore(container, { name: "Import memory bench" })
  const today = new Date().toISOString().slice(0, 10)
  const sizes = [1000, 10000]
  const result: Record<string, unknown> = {}
  for (const size of sizes) {
    const xml = buildCamt053({
      account_iban: "DE89370400440532013000",
      currency: "EUR",
      statements: [
        {
          id: `MEM-${size}`,
          lines: Array.from({ length: size }, (_, i) => ({
            amount: "12.34",
            direction: "credit" as const,
            booking_date: today,
            remittance: `Payment ${size}-${i}`,
            bank_id: `MEM-${size}-${i}`,
          })),
        },
      ],
    })
    const content_base64 = Buffer.from(xml).toString("base64")
    global.gc?.()
    const before = process.memoryUsage().heapUsed
    let peak = before
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20)
    const started = performance.now()
    const { result: imported } = await importBankStatementWorkflow(container).run({
      input: { file_name: `memory-${size}.xml`, content_base64, actor: { type: "system", id: "bench" } },
    })
    const ms = performance.now() - started
    clearInterval(timer)
    // Twice, a tick apart: what one collection leaves for finalizers goes in the second.
    global.gc?.()
    await new Promise((resolve) => setTimeout(resolve, 100))
    global.gc?.()
    const after = process.memoryUsage().heapUsed
    result[String(size)] = {
      lines: imported.bank_statement.lines,
      ms: Math.round(ms),
      peak_heap_growth_mb: +((peak - before) / 1048576).toFixed(1),
      retained_heap_growth_mb: +((after - before) / 1048576).toFixed(1),
    }
  }
  fs.writeFileSync(process.env.BENCH_IMPORT_MEMORY_OUT!, JSON.stringify(result, null, 2))
}
