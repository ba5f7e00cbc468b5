// `npm run bench`: the plugin's routes against Medusa's own routes for the same
// work, in one run, on one server and database. Prints a table and writes
// bench-results/bench.json.
import fs from "node:fs"
import path from "node:path"
import database from "./lib/database.cjs"
import store from "./lib/store.cjs"

const { resolveDatabase, ensureDatabase, dropDatabase, serverUrl } = database
const { root, buildStore, migrate, run, startStore } = store
const log = (message) => console.log(`[bench] ${message}`)

const RECEIPTS_PER_ORDER = Number(process.env.BENCH_RECEIPTS_PER_ORDER || 10)
const ORDERS_PER_SIDE = Number(process.env.BENCH_ORDERS_PER_SIDE || 10)
const WARMUP = 5

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}
const stats = (values) => ({
  n: values.length,
  median_ms: +percentile(values, 50).toFixed(2),
  p95_ms: +percentile(values, 95).toFixed(2),
})

async function timed(url, init) {
  const started = performance.now()
  const response = await fetch(url, init)
  const body = await response.text()
  const ms = performance.now() - started
  if (!response.ok) {
    throw new Error(`${init.method ?? "GET"} ${url} answered ${response.status}: ${body}`)
  }
  return ms
}

const server = await resolveDatabase({ dataDir: path.join(root, ".cache", "test-postgres"), log })
const databaseName = "payment_desk_bench"
let running
try {
  await dropDatabase(server, databaseName)
  await ensureDatabase(server, databaseName)
  const env = { ...process.env, NODE_ENV: "production", DATABASE_URL: serverUrl(server, databaseName) }
  await buildStore({ env, log })
  await migrate({ env, log })
  const fixtures = path.join(root, ".cache", "bench-fixtures.json")
  log(`Seeding ${ORDERS_PER_SIDE} equivalent orders per side`)
  await run(path.join(root, "node_modules", ".bin", "medusa"), ["exec", "./scripts/bench/seed-bench.ts"], {
    cwd: root,
    env: { ...env, BENCH_FIXTURES: fixtures, BENCH_ORDERS_PER_SIDE: String(ORDERS_PER_SIDE) },
    log,
    quiet: true,
  })
  const { orders } = JSON.parse(fs.readFileSync(fixtures, "utf8"))
  running = await startStore({ env: { ...env, MEDUSA_ADMIN_DISABLE: "true" }, port: 9311, log })
  const login = await fetch(`${running.url}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@payment-desk.test", password: "supersecret" }),
  })
  const { token } = await login.json()
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` }

  const plugin = orders.filter((o) => o.side === "plugin")
  const core = orders.filter((o) => o.side === "core")
  const recordPayment = (order) =>
    timed(`${running.url}/admin/payment-desk/orders/${order.order_id}/payments`, {
      method: "POST",
      headers,
      body: JSON.stringify({ amount: 10, method: "bank-transfer", reference: "BENCH" }),
    })
  const coreCapture = (order) =>
    timed(`${running.url}/admin/payments/${order.payment_id}/capture`, {
      method: "POST",
      headers,
      body: JSON.stringify({ amount: 10 }),
    })

  log(`Measuring ${ORDERS_PER_SIDE * RECEIPTS_PER_ORDER} requests per side, interleaved`)
  const samples = { plugin: [], core: [] }
  for (let round = 0; round < RECEIPTS_PER_ORDER; round++) {
    for (let i = 0; i < plugin.length; i++) {
      const ours = await recordPayment(plugin[i])
      const theirs = await coreCapture(core[i])
      const warm = round * plugin.length + i >= WARMUP
      if (warm) {
        samples.plugin.push(ours)
        samples.core.push(theirs)
      }
    }
  }

  // Refunds: €1 at a time on the same orders (each has €100 captured now).
  const pluginRefund = (order) =>
    timed(`${running.url}/admin/payment-desk/orders/${order.order_id}/refunds`, {
      method: "POST",
      headers,
      body: JSON.stringify({ amount: 1, payment_id: order.payment_id }),
    })
  const coreRefund = (order) =>
    timed(`${running.url}/admin/payments/${order.payment_id}/refund`, {
      method: "POST",
      headers,
      body: JSON.stringify({ amount: 1 }),
    })
  log(`Measuring ${ORDERS_PER_SIDE * RECEIPTS_PER_ORDER} refunds per side, interleaved`)
  const refundSamples = { plugin: [], core: [] }
  for (let round = 0; round < RECEIPTS_PER_ORDER; round++) {
    for (let i = 0; i < plugin.length; i++) {
      const ours = await pluginRefund(plugin[i])
      const theirs = await coreRefund(core[i])
      if (round * plugin.length + i >= WARMUP) {
        refundSamples.plugin.push(ours)
        refundSamples.core.push(theirs)
      }
    }
  }

  // The duplicate storm: 50 concurrent identical refunds with one key.
  const target = plugin[0]
  const summaryOf = async () =>
    (await fetch(`${running.url}/admin/payment-desk/orders/${target.order_id}`, { headers })).json()
  const before = await summaryOf()
  log("Duplicate storm: 50 concurrent identical refund requests with one Idempotency-Key")
  const storm = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const started = performance.now()
      const response = await fetch(`${running.url}/admin/payment-desk/orders/${target.order_id}/refunds`, {
        method: "POST",
        headers: { ...headers, "idempotency-key": "bench-storm" },
        body: JSON.stringify({ amount: 1, payment_id: target.payment_id }),
      })
      await response.text()
      return {
        ms: performance.now() - started,
        status: response.status,
        replayed: response.headers.get("idempotent-replayed") === "true",
      }
    })
  )
  const after = await summaryOf()
  // The floor of such a burst on this machine: 50 concurrent reads of Medusa's
  // own payment route, which only authenticate and read one row.
  const floor = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const started = performance.now()
      const response = await fetch(`${running.url}/admin/payments/${target.payment_id}`, { headers })
      await response.text()
      return performance.now() - started
    })
  )
  const providerCalls = after.refunds.length - before.refunds.length
  const refused = storm.filter((r) => r.replayed || r.status === 409)
  const stormResult = {
    requests: storm.length,
    provider_calls: providerCalls,
    refunded_delta: +(after.refunded_total - before.refunded_total).toFixed(2),
    statuses: storm.reduce((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {}),
    refused_or_replayed: refused.length,
    p95_refused_ms: refused.length ? +percentile(refused.map((r) => r.ms), 95).toFixed(2) : null,
    p95_core_burst_floor_ms: +percentile(floor, 95).toFixed(2),
    target: "1 provider call, p95 < 100 ms",
  }

  const ours = stats(samples.plugin)
  const theirs = stats(samples.core)
  const refundOurs = stats(refundSamples.plugin)
  const refundTheirs = stats(refundSamples.core)
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
    record_payment: {
      plugin: { route: "POST /admin/payment-desk/orders/:id/payments", ...ours },
      core: { route: "POST /admin/payments/:id/capture", ...theirs },
      ratio_median: +(ours.median_ms / theirs.median_ms).toFixed(2),
      ratio_p95: +(ours.p95_ms / theirs.p95_ms).toFixed(2),
      target: "<= 1.2x",
    },
    refund: {
      plugin: { route: "POST /admin/payment-desk/orders/:id/refunds", ...refundOurs },
      core: { route: "POST /admin/payments/:id/refund", ...refundTheirs },
      ratio_median: +(refundOurs.median_ms / refundTheirs.median_ms).toFixed(2),
      ratio_p95: +(refundOurs.p95_ms / refundTheirs.p95_ms).toFixed(2),
      target: "<= 1.2x",
    },
    duplicate_storm: stormResult,
  }
  await running.stop()
  running = null

  // The auto-close sweep, in one process (medusa exec) on a fresh database.
  const sweepDb = "payment_desk_bench_sweep"
  await dropDatabase(server, sweepDb)
  await ensureDatabase(server, sweepDb)
  const sweepEnv = { ...env, DATABASE_URL: serverUrl(server, sweepDb), NODE_OPTIONS: "--expose-gc" }
  await migrate({ env: sweepEnv, log })
  const sweepOut = path.join(root, ".cache", "bench-sweep.json")
  log(`Auto-close sweep: ${process.env.BENCH_SWEEP_SMALL || 1000} and ${process.env.BENCH_SWEEP_LARGE || 5000} orders (several minutes)`)
  await run(path.join(root, "node_modules", ".bin", "medusa"), ["exec", "./scripts/bench/sweep.ts"], {
    cwd: root,
    env: { ...sweepEnv, BENCH_SWEEP_OUT: sweepOut },
    log,
  })
  results.close_sweep = JSON.parse(fs.readFileSync(sweepOut, "utf8"))
  await dropDatabase(server, sweepDb).catch(() => {})

  const out = path.join(root, "bench-results")
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(path.join(out, "bench.json"), JSON.stringify(results, null, 2))

  const row = (name, s) => `${name.padEnd(48)} ${String(s.n).padStart(5)} ${String(s.median_ms).padStart(10)} ${String(s.p95_ms).padStart(10)}`
  console.log("")
  console.log(`${"route".padEnd(48)} ${"n".padStart(5)} ${"median ms".padStart(10)} ${"p95 ms".padStart(10)}`)
  console.log(row(results.record_payment.plugin.route, ours))
  console.log(row(results.record_payment.core.route, theirs))
  console.log(row(results.refund.plugin.route, refundOurs))
  console.log(row(results.refund.core.route, refundTheirs))
  console.log(
    `record payment / core capture: ${results.record_payment.ratio_median}x median, ${results.record_payment.ratio_p95}x p95 (target <= 1.2x)`
  )
  console.log(
    `refund / core refund: ${results.refund.ratio_median}x median, ${results.refund.ratio_p95}x p95 (target <= 1.2x)`
  )
  console.log(
    `duplicate storm: ${stormResult.requests} requests -> ${stormResult.provider_calls} provider call(s), refunded +${stormResult.refunded_delta}, statuses ${JSON.stringify(stormResult.statuses)}, p95 of refused/replayed ${stormResult.p95_refused_ms} ms (target: 1 call, p95 < 100 ms; 50 concurrent GET /admin/payments/:id in the same run: p95 ${stormResult.p95_core_burst_floor_ms} ms)`
  )
  const sweep = results.close_sweep
  console.log(
    `auto-close sweep: ${sweep.job_small.closed} orders at ${sweep.job_small.orders_per_s}/s vs cancelOrderWorkflow ${sweep.core_cancel_small.orders_per_s}/s -> ${sweep.throughput_ratio}x (target >= 0.9x)`
  )
  console.log(
    `sweep memory: ${sweep.sizes.small} orders peak heap ${sweep.job_small.peak_heap_mb} MB, retained +${sweep.job_small.retained_heap_growth_mb} MB; ${sweep.sizes.large} orders peak heap ${sweep.job_large.peak_heap_mb} MB, retained +${sweep.job_large.retained_heap_growth_mb} MB (target: flat)`
  )
  console.log(`\nWritten to ${path.relative(root, path.join(out, "bench.json"))}`)
} finally {
  await running?.stop()
  await dropDatabase(server, databaseName).catch(() => {})
  await server.stop()
}
