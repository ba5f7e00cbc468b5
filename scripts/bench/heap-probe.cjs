// Preloaded into the lists part's server by the bench
// (NODE_OPTIONS="--expose-gc --require scripts/bench/heap-probe.cjs",
// BENCH_HEAP_PROBE_FILE=<file>): on SIGUSR2 the server collects its garbage
// and writes what its heap holds then (the live set) to the file, with the
// largest heap in use (garbage included) sampled every 20 ms since the
// previous signal. The bench signals it before, during and after an audit
// export: a streamed export's live set does not grow with the file, an export
// held in memory would hold the file. Not loaded by anything but the bench.
const fs = require("node:fs")

const file = process.env.BENCH_HEAP_PROBE_FILE
if (file && typeof global.gc === "function") {
  let peak = 0
  const sample = () => {
    const used = process.memoryUsage().heapUsed
    if (used > peak) peak = used
  }
  setInterval(sample, 20).unref()
  process.on("SIGUSR2", () => {
    sample()
    const peakSince = peak
    const started = process.hrtime.bigint()
    global.gc()
    const gcMs = Number(process.hrtime.bigint() - started) / 1e6
    const after = process.memoryUsage()
    peak = after.heapUsed
    fs.writeFileSync(
      `${file}.tmp`,
      JSON.stringify({ at: Date.now(), peak_heap_used: peakSince, live_heap: after.heapUsed, rss: after.rss, gc_ms: gcMs })
    )
    fs.renameSync(`${file}.tmp`, file)
  })
}
