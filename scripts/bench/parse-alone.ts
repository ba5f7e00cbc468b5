// `node --expose-gc -r ts-node/register scripts/bench/parse-alone.ts <file> [csv profile]`
// (run by `npm run bench`, part `hostile`, with TS_NODE_TRANSPILE_ONLY=1):
// a file `hostile-import.ts` kept, read by `readBankStatement` alone in this
// fresh process (nothing else in its heap, so the RSS it adds is the
// parse's own): prints JSON with its wall time, the longest event-loop
// stall (monitorEventLoopDelay) and the RSS before and at its peak (sampled
// every 5 ms). The CSV profile is named in PAYMENT_DESK_OPTIONS.
import fs from "node:fs"
import path from "node:path"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { readBankStatement } from "../../src/utils/bank-statements/parse-bank-statement"
import type { CsvProfile } from "../../src/types/bank-statements"

const mb = (bytes: number) => +(bytes / 1048576).toFixed(1)

async function main() {
  const [filePath, profileName] = process.argv.slice(2)
  const content = fs.readFileSync(filePath)
  const options = JSON.parse(process.env.PAYMENT_DESK_OPTIONS || "{}")
  const profile: CsvProfile | undefined = profileName ? options.bank_statements?.csv_profiles?.[profileName] : undefined
  global.gc?.()
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  // The monitor's first tick only starts its clock: a block before it would go unseen.
  await new Promise((resolve) => setTimeout(resolve, 30))
  const rssBefore = process.memoryUsage().rss
  let peakRss = rssBefore
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5)
  const started = performance.now()
  const outcome = await readBankStatement(
    { file_name: path.basename(filePath), content, profile },
    { max_lines: 100_000 }
  ).then(
    (parsed) => `${parsed.lines.length} lines`,
    (error: Error) => `400 ${error.message}`.slice(0, 120)
  )
  const wallMs = performance.now() - started
  clearInterval(sampler)
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
  // The monitor's timer records a block only when it fires after it.
  await new Promise((resolve) => setTimeout(resolve, 30))
  loop.disable()
  process.stdout.write(
    JSON.stringify({ outcome, wall_ms: Math.round(wallMs), longest_stall_ms: Math.round(loop.max / 1e6), rss_before_mb: mb(rssBefore), peak_rss_mb: mb(peakRss) })
  )
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error))
  process.exitCode = 1
})
