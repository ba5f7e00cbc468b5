// `npm run trace -- routes|import`: where a request's time goes. Runs the built
// store (as `npm run bench` does) with Medusa's OpenTelemetry instrumentation
// (`registerOtel` from @medusajs/medusa: HTTP, workflows and steps, Query, and
// every PostgreSQL statement) writing its spans to a file, then sums them:
//   routes  the plugin's record payment against Medusa's partial capture,
//           interleaved on equivalent orders: per request, each span's mean ms
//           and count (steps, queries, BEGIN/COMMIT pairs), and the route's
//           time after its workflow (the response);
//   import  a CAMT.053 statement (TRACE_IMPORT_LINES credit lines, 80 % exact)
//           imported and booked, against as many record-payment calls: per
//           recorded payment, the same sums.
// Spans cost time of their own (figures read ~10–25 % slower than untraced):
// compare the two sides of one run, not with `npm run bench`. Writes
// bench-results/trace-<part>.json. docs/performance.md reads these figures.
import fs from "node:fs"
import path from "node:path"
import { createRequire } from "node:module"
import { adminAuth } from "./bench/import-bench.mjs"

const require = createRequire(import.meta.url)
const { resolveDatabase, ensureDatabase, dropDatabase, serverUrl } = require("./lib/database.cjs")
const { root, builtStore, buildStore, migrate, run, startStore } = require("./lib/store.cjs")

const partName = process.argv[2]
if (!["routes", "import"].includes(partName)) {
  console.error("usage: npm run trace -- routes|import")
  process.exit(2)
}
const log = (message) => console.log(`[trace] ${message}`)
const medusa = path.join(root, "node_modules", ".bin", "medusa")
const spansFile = path.join(root, ".cache", `trace-spans-${process.pid}.jsonl`)
const instrumentation = path.join(builtStore, "instrumentation.js")

/** The built store's instrumentation file: Medusa's registerOtel with an exporter that appends JSON lines. */
const instrumentationSource = `
const fs = require("node:fs")
// As Medusa's docs have it: registerOtel from @medusajs/medusa.
const { registerOtel } = require("@medusajs/medusa")
class FileExporter {
  export(spans, done) {
    const lines = spans.map((span) => JSON.stringify({
      name: span.name,
      trace: span.spanContext().traceId,
      id: span.spanContext().spanId,
      parent: span.parentSpanContext?.spanId ?? span.parentSpanId ?? null,
      start: span.startTime[0] * 1e3 + span.startTime[1] / 1e6,
      ms: span.duration[0] * 1e3 + span.duration[1] / 1e6,
      url: span.attributes["http.url"] ?? null,
      statement: typeof span.attributes["db.statement"] === "string" ? span.attributes["db.statement"].slice(0, 120) : null,
    }))
    fs.appendFileSync(${JSON.stringify(spansFile)}, lines.join("\\n") + "\\n")
    done({ code: 0 })
  }
  shutdown() {
    return Promise.resolve()
  }
}
exports.register = () =>
  registerOtel({ serviceName: "payment-desk-trace", exporter: new FileExporter(), instrument: { http: true, workflows: true, query: true, db: true } })
`

/** A span's group: its name, with a statement's verb for PostgreSQL queries. */
const groupOf = (span) => (span.name.startsWith("pg.query") ? `pg ${(span.statement ?? "").trim().split(/\s/)[0].toUpperCase()}` : span.name)

/** Sums spans by group: mean ms and count per unit (a request, a recorded payment). */
function sums(spans, units) {
  const groups = new Map()
  for (const span of spans) {
    const key = groupOf(span)
    const group = groups.get(key) ?? { ms: 0, n: 0 }
    group.ms += span.ms
    group.n += 1
    groups.set(key, group)
  }
  return Object.fromEntries(
    [...groups]
      .map(([key, { ms, n }]) => [key, { ms: +(ms / units).toFixed(2), count: +(n / units).toFixed(2) }])
      .sort((a, b) => b[1].ms - a[1].ms)
  )
}

/** The spans of each HTTP request whose URL contains `marker`, one array per trace. */
function requestsOf(spans, marker) {
  const traces = new Map()
  for (const span of spans) {
    if (!traces.has(span.trace)) traces.set(span.trace, [])
    traces.get(span.trace).push(span)
  }
  return [...traces.values()].filter((list) => list.some((span) => span.url?.includes(marker) && !span.name.startsWith("middleware")))
}

/** A request's time after its workflow ended (the response), in ms. */
function afterWorkflow(list, workflow) {
  const request = list.find((span) => span.url && !span.name.startsWith("route handler"))
  const run = list.find((span) => span.name === `workflow:${workflow}`)
  return request && run ? request.start + request.ms - (run.start + run.ms) : null
}

const print = (title, table, limit = 28) => {
  log(title)
  for (const [key, { ms, count }] of Object.entries(table).slice(0, limit)) {
    console.log(`  ${ms.toFixed(2).padStart(8)} ms  ${count.toFixed(1).padStart(5)} ×  ${key.slice(0, 100)}`)
  }
}
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length)
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

const server = await resolveDatabase({ dataDir: path.join(root, ".cache", "test-postgres"), log })
const databaseName = `payment_desk_trace_${partName}`
const env = { ...process.env, NODE_ENV: "production", DATABASE_URL: serverUrl(server, databaseName) }
let running
const result = { date: new Date().toISOString(), part: partName, note: "spans of one traced run; traced requests run slower than untraced ones" }
try {
  await dropDatabase(server, databaseName)
  await ensureDatabase(server, databaseName)
  await buildStore({ env, log })
  await migrate({ env, log })
  const fixtures = path.join(root, ".cache", `trace-${partName}`)
  fs.mkdirSync(fixtures, { recursive: true })
  if (partName === "routes") {
    await run(medusa, ["exec", "./scripts/bench/seed-bench.ts"], {
      cwd: root,
      env: { ...env, BENCH_FIXTURES: path.join(fixtures, "fixtures.json"), BENCH_ORDERS_PER_SIDE: "10" },
      log,
      quiet: true,
    })
  } else {
    await run(medusa, ["exec", "./scripts/bench/seed-import.ts"], {
      cwd: root,
      env: { ...env, BENCH_IMPORT_LINES: process.env.TRACE_IMPORT_LINES || "400", BENCH_IMPORT_DIR: fixtures },
      log,
      quiet: true,
    })
  }
  fs.rmSync(spansFile, { force: true })
  fs.writeFileSync(instrumentation, instrumentationSource)
  running = await startStore({ env: { ...env, MEDUSA_ADMIN_DISABLE: "true" }, port: 9314, log })
  const auth = await adminAuth(running.url)
  const headers = { "content-type": "application/json", ...auth }
  const post = async (url, body) => {
    const started = performance.now()
    const response = await fetch(`${running.url}${url}`, { method: "POST", headers, body: JSON.stringify(body) })
    const text = await response.text()
    if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 300)}`)
    return performance.now() - started
  }

  if (partName === "routes") {
    const { orders } = JSON.parse(fs.readFileSync(path.join(fixtures, "fixtures.json"), "utf8"))
    const plugin = orders.filter((order) => order.side === "plugin")
    const core = orders.filter((order) => order.side === "core")
    const latency = { plugin: [], core: [] }
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < plugin.length; i++) {
        latency.plugin.push(await post(`/admin/payment-desk/orders/${plugin[i].order_id}/payments`, { amount: 10, method: "bank-transfer", reference: "TRACE" }))
        latency.core.push(await post(`/admin/payments/${core[i].payment_id}/capture`, { amount: 10 }))
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const spans = fs.readFileSync(spansFile, "utf8").trim().split("\n").map((line) => JSON.parse(line))
    // The first five of each side warm the server up.
    const ours = requestsOf(spans, "/admin/payment-desk/orders/").slice(5)
    const theirs = requestsOf(spans, "/capture").slice(5)
    result.record_payment = {
      latency_median_ms: +median(latency.plugin.slice(5)).toFixed(1),
      after_workflow_ms: +mean(ours.map((list) => afterWorkflow(list, "payment-desk-record-payment")).filter((v) => v !== null)).toFixed(1),
      per_request: sums(ours.flat(), ours.length),
    }
    result.core_capture = {
      latency_median_ms: +median(latency.core.slice(5)).toFixed(1),
      per_request: sums(theirs.flat(), theirs.length),
    }
    log(`record payment median ${result.record_payment.latency_median_ms} ms (after its workflow ${result.record_payment.after_workflow_ms} ms), core capture ${result.core_capture.latency_median_ms} ms (traced)`)
    print("record payment, per request:", result.record_payment.per_request)
    print("core partial capture, per request:", result.core_capture.per_request)
  } else {
    const ids = JSON.parse(fs.readFileSync(path.join(fixtures, "fixtures.json"), "utf8"))
    const form = new FormData()
    form.append("file", new Blob([fs.readFileSync(path.join(fixtures, "statement.xml"))]), "trace-statement.xml")
    const importStarted = Date.now()
    const response = await fetch(`${running.url}/admin/payment-desk/bank-statements`, { method: "POST", headers: auth, body: form })
    let statement = (await response.json()).bank_statement
    if (response.status !== 201) throw new Error(`The import answered ${response.status}`)
    while (statement.booking > 0) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      statement = (await (await fetch(`${running.url}/admin/payment-desk/bank-statements/${statement.id}`, { headers: auth })).json()).bank_statement
    }
    const importMs = Date.now() - importStarted
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const importEnd = Date.now()
    const routeMs = []
    for (let i = 0; i < statement.recorded; i++) {
      routeMs.push(await post(`/admin/payment-desk/orders/${ids.route_orders[Math.floor(i / 10)]}/payments`, { amount: 10, method: "bank-transfer", reference: `TRACE-${i}` }))
    }
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const spans = fs.readFileSync(spansFile, "utf8").trim().split("\n").map((line) => JSON.parse(line))
    // Spans are stamped in ms since the epoch: the import's are those that began before the route calls.
    const importSpans = spans.filter((span) => span.start < importEnd && span.start >= importStarted - 1000)
    const routeRequests = requestsOf(spans.filter((span) => span.start >= importEnd), "/admin/payment-desk/orders/")
    result.import = {
      lines: statement.credits,
      recorded: statement.recorded,
      ms_per_recorded_payment: +(importMs / Math.max(1, statement.recorded)).toFixed(1),
      per_recorded_payment: sums(importSpans, Math.max(1, statement.recorded)),
    }
    result.record_payment = {
      ms_mean: +mean(routeMs).toFixed(1),
      per_request: sums(routeRequests.flat(), Math.max(1, routeRequests.length)),
    }
    log(`import ${result.import.ms_per_recorded_payment} ms per recorded payment, the route ${result.record_payment.ms_mean} ms per call (traced)`)
    print("import, per recorded payment:", result.import.per_recorded_payment)
    print("record payment route, per request:", result.record_payment.per_request)
  }
  fs.mkdirSync(path.join(root, "bench-results"), { recursive: true })
  fs.writeFileSync(path.join(root, "bench-results", `trace-${partName}.json`), JSON.stringify(result, null, 2))
  log(`wrote bench-results/trace-${partName}.json`)
} finally {
  await running?.stop()
  fs.rmSync(instrumentation, { force: true })
  fs.rmSync(spansFile, { force: true })
  await dropDatabase(server, databaseName).catch(() => {})
}
