// `npm run bench`: the plugin's routes against Medusa's own routes for the same
// work, in one run, on one server and database. Prints one table (each figure,
// its target, met or not, and the machine) and writes bench-results/bench.json.
// `npm run bench -- --quick`: a small version for development (~4–5 minutes
// on a quiet 2-core machine; the fleet parts only when named with `--only`).
// `--only=routes|sweep|fleet|reconcile|import|import-fleet|hostile|lists` runs one part.
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import pg from "pg"
import database from "./lib/database.cjs"
import store from "./lib/store.cjs"
import { eventsDrained, runImportBench, runImportFleet } from "./bench/import-bench.mjs"

const { resolveDatabase, ensureDatabase, dropDatabase, serverUrl } = database
const { root, buildStore, migrate, run, startStore } = store
const log = (message) => console.log(`[bench] ${message}`)

const QUICK = process.argv.includes("--quick")
const ONLY = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length) ?? null
// The two parts on a fleet measure two workers against one: at a quick run's
// sizes (30 orders, 250 lines) their ratio is mostly the workers' warm-up
// (quick runs on 2026-12-07: sweep 0.96x and 1.13x, import 0.85x and 0.76x;
// full-size runs, each until the event bus was empty: sweep 1.11x, import 1.35x),
// and they cost ~150 s of the
// quick run (Redis, a migration, nine Medusa processes). A quick run leaves them
// out unless `--only` names one.
const NOT_IN_QUICK = ["fleet", "import-fleet"]
const part = (name) => (ONLY ? ONLY === name : !(QUICK && NOT_IN_QUICK.includes(name)))
// Samples per side counted after the warm-up (the targets are set at 30).
const SAMPLES = Number(process.env.BENCH_SAMPLES || (QUICK ? 12 : 30))
const ORDERS_PER_SIDE = Number(process.env.BENCH_ORDERS_PER_SIDE || (QUICK ? 4 : 10))
// Requests before the counted ones (the first runs compile queries and workflows).
const WARMUP = QUICK ? 3 : 5
// Samples per list and side (each list has its own warm-up).
const LIST_SAMPLES = Number(process.env.BENCH_SAMPLES || (QUICK ? 8 : 30))
// Pause after each measured route request (see the routes part).
const ROUTE_GAP_MS = Number(process.env.BENCH_ROUTE_GAP_MS ?? 300)
const RECEIPTS_PER_ORDER = Math.ceil((SAMPLES + WARMUP) / ORDERS_PER_SIDE)
// Rounds of the 50-way duplicate storm and its floor (the routes part).
const STORM_ROUNDS = Number(process.env.BENCH_STORM_ROUNDS || (QUICK ? 3 : 7))
const SWEEP_SMALL = process.env.BENCH_SWEEP_SMALL || (QUICK ? "30" : "1000")
const SWEEP_LARGE = process.env.BENCH_SWEEP_LARGE || (QUICK ? "120" : "10000")
const RECONCILE_ROWS = process.env.BENCH_RECONCILE_ROWS || (QUICK ? "200" : "1000")
const IMPORT_LINES = Number(process.env.BENCH_IMPORT_LINES || (QUICK ? 100 : 5000))
// Lines of each file of the import on one worker and on two (above the inline booking limit of 200).
const IMPORT_FLEET_LINES = Number(process.env.BENCH_IMPORT_FLEET_LINES || (QUICK ? 250 : 2000))
const SCALE_ORDERS = process.env.BENCH_SCALE_ORDERS || (QUICK ? "2000" : "100000")
const FLEET_ORDERS = process.env.BENCH_FLEET_ORDERS || (QUICK ? "30" : "300")
const listsDb = "payment_desk_bench_lists"

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}
const stats = (values) => ({
  n: values.length,
  median_ms: +percentile(values, 50).toFixed(2),
  p95_ms: +percentile(values, 95).toFixed(2),
})

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A process's CPU time so far (user + system) in ms, from /proc/<pid>/stat
 * (fields 14 and 15, in clock ticks of 1/100 s on Linux).
 */
function serverCpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/**
 * The whole machine's CPU time so far (ms, from /proc/stat's first line): `busy`
 * (user, nice, system, irq, softirq: what every process and the kernel ran)
 * and `idle` (idle and iowait). The
 * fleet parts compare it with their own processes' CPU: a backend that
 * connected and left within the run, the bench's own polling and the kernel's
 * work are in `busy` and in no process counted when the run ends.
 */
function machineCpuMs() {
  const [user, nice, system, idle, iowait, irq, softirq] = fs
    .readFileSync("/proc/stat", "utf8")
    .split("\n")[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number)
  return { busy: (user + nice + system + irq + softirq) * 10, idle: (idle + iowait) * 10 }
}

/** The CPU time so far (ms) of every process whose command name is `name` (e.g. all of PostgreSQL's backends). */
function cpuMsOfProcesses(name) {
  let total = 0
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8")
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"))
      if (comm === name) total += serverCpuMs(entry)
    } catch {
      // The process ended meanwhile.
    }
  }
  return total
}

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
const medusa = path.join(root, "node_modules", ".bin", "medusa")
let running
const started = Date.now()
const results = {
  date: new Date().toISOString(),
  quick: QUICK,
  machine: {},
  part_seconds: {},
  not_run_in_quick: QUICK && !ONLY ? NOT_IN_QUICK : [],
}

// Every part's database is a copy (`CREATE DATABASE … TEMPLATE`, ~1 s) of one
// database migrated once per run for each kind of store: the plain one and
// the one on Redis (its workflow engine has migrations of its own). A
// `medusa db:migrate` is three Medusa boots (~20–30 s here), and the parts
// ran nine of them.
const templates = new Map()
const templateName = (kind) => `payment_desk_bench_template_${kind}`
/** The migrated template for a store like `partEnv` (Redis or not), migrated on first use. */
function migratedTemplate(partEnv) {
  const kind = partEnv.REDIS_URL ? "redis" : "plain"
  if (!templates.has(kind)) {
    templates.set(
      kind,
      (async () => {
        const name = templateName(kind)
        await dropDatabase(server, name)
        await ensureDatabase(server, name)
        log(`Migrating the ${kind === "redis" ? "Redis store's" : "store's"} template database (${name})`)
        await migrate({ env: { ...partEnv, DATABASE_URL: serverUrl(server, name) }, log })
        return name
      })()
    )
  }
  return templates.get(kind)
}
/**
 * A fresh, migrated database `name` for a part whose store runs with
 * `partEnv` (its REDIS_URL picks the template); its URL.
 */
async function freshDatabase(name, partEnv) {
  const template = await migratedTemplate(partEnv)
  await dropDatabase(server, name)
  await ensureDatabase(server, name, { template })
  return serverUrl(server, name)
}
/** Runs a part when it is wanted (`--only`), recording its wall time in `results.part_seconds`. */
async function runPart(name, body) {
  if (!part(name)) return
  const partStarted = Date.now()
  try {
    await body()
  } finally {
    results.part_seconds[name] = Math.round((Date.now() - partStarted) / 1000)
    log(`${name}: ${results.part_seconds[name]} s`)
    savePartial()
  }
}
// What is measured so far, kept if a later part fails.
const savePartial = () => {
  fs.mkdirSync(path.join(root, "bench-results"), { recursive: true })
  fs.writeFileSync(path.join(root, "bench-results", "bench.partial.json"), JSON.stringify(results, null, 2))
}
try {
  const env = { ...process.env, NODE_ENV: "production", DATABASE_URL: serverUrl(server, databaseName) }
  const client = new pg.Client({ connectionString: serverUrl(server) })
  await client.connect()
  const { rows: version } = await client.query("show server_version")
  await client.end()
  results.machine = {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? null,
    node: process.version,
    postgres: version[0].server_version,
    load_average_at_start: os.loadavg().map((l) => +l.toFixed(2)),
  }
  const buildStarted = Date.now()
  await buildStore({ env, log })
  results.part_seconds.build = Math.round((Date.now() - buildStarted) / 1000)
  await runPart("routes", async () => {
    await freshDatabase(databaseName, env)
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

    // Each measured request starts on a quiet server: what a request leaves
    // running after it answers (its event subscribers: the plugin's payment
    // email; for core's capture, the plugin's audit of Medusa's capture, which
    // waits for the order lock and plans ~40 ms) is given ROUTE_GAP_MS to end
    // first. Back to back, each side's latency took in the other side's
    // background work, and not evenly: on 2026-12-07 record payment read
    // 1.34x core's capture back to back and 1.15x with 300 ms between requests
    // (npm run trace -- routes shows the subscribers' spans; docs/performance.md).
    const quiet = () => sleep(ROUTE_GAP_MS)
    log(`Measuring ${ORDERS_PER_SIDE * RECEIPTS_PER_ORDER} requests per side, interleaved, ${ROUTE_GAP_MS} ms apart`)
    const samples = { plugin: [], core: [] }
    for (let round = 0; round < RECEIPTS_PER_ORDER; round++) {
      for (let i = 0; i < plugin.length; i++) {
        const ours = await recordPayment(plugin[i])
        await quiet()
        const theirs = await coreCapture(core[i])
        await quiet()
        const warm = round * plugin.length + i >= WARMUP
        if (warm && samples.plugin.length < SAMPLES) {
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
    log(`Measuring ${ORDERS_PER_SIDE * RECEIPTS_PER_ORDER} refunds per side, interleaved, ${ROUTE_GAP_MS} ms apart`)
    const refundSamples = { plugin: [], core: [] }
    for (let round = 0; round < RECEIPTS_PER_ORDER; round++) {
      for (let i = 0; i < plugin.length; i++) {
        const ours = await pluginRefund(plugin[i])
        await quiet()
        const theirs = await coreRefund(core[i])
        await quiet()
        if (round * plugin.length + i >= WARMUP && refundSamples.plugin.length < SAMPLES) {
          refundSamples.plugin.push(ours)
          refundSamples.core.push(theirs)
        }
      }
    }

    // The duplicate storm: 50 concurrent identical refunds with one key, in
    // STORM_ROUNDS rounds (each its own key and order), each followed by its
    // floor: 50 concurrent reads of Medusa's own payment route, which only
    // authenticate and read one row. One burst of each moved the ratio
    // between 0.63x and 1.81x from run to run (the floor alone 326-720 ms),
    // so the figure is the median of the rounds' ratios.
    const burst = (request) =>
      Promise.all(
        Array.from({ length: 50 }, async () => {
          const started = performance.now()
          const response = await request()
          await response.text()
          return {
            ms: performance.now() - started,
            status: response.status,
            replayed: response.headers.get("idempotent-replayed") === "true",
          }
        })
      )
    const rounds = []
    for (let round = 0; round < STORM_ROUNDS; round++) {
      const target = plugin[round % plugin.length]
      const summaryOf = async () =>
        (await fetch(`${running.url}/admin/payment-desk/orders/${target.order_id}`, { headers })).json()
      const before = await summaryOf()
      log(`Duplicate storm ${round + 1}/${STORM_ROUNDS}: 50 concurrent identical refund requests with one Idempotency-Key`)
      const storm = await burst(() =>
        fetch(`${running.url}/admin/payment-desk/orders/${target.order_id}/refunds`, {
          method: "POST",
          headers: { ...headers, "idempotency-key": `bench-storm-${round}` },
          body: JSON.stringify({ amount: 1, payment_id: target.payment_id }),
        })
      )
      const after = await summaryOf()
      await quiet()
      const floor = (await burst(() => fetch(`${running.url}/admin/payments/${target.payment_id}`, { headers }))).map((r) => r.ms)
      await quiet()
      const refused = storm.filter((r) => r.replayed || r.status === 409)
      const p95Refused = refused.length ? percentile(refused.map((r) => r.ms), 95) : null
      rounds.push({
        provider_calls: after.refunds.length - before.refunds.length,
        refunded_delta: +(after.refunded_total - before.refunded_total).toFixed(2),
        statuses: storm.reduce((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {}),
        refused_or_replayed: refused.length,
        p95_refused_ms: p95Refused === null ? null : +p95Refused.toFixed(2),
        p95_core_burst_floor_ms: +percentile(floor, 95).toFixed(2),
        ratio_p95_to_floor: p95Refused === null ? null : +(p95Refused / percentile(floor, 95)).toFixed(2),
      })
    }
    const ratios = rounds.map((r) => r.ratio_p95_to_floor)
    const stormResult = {
      rounds: rounds.length,
      requests: 50 * rounds.length,
      // Each storm must reach the provider exactly once: the largest count of any round.
      provider_calls: Math.max(...rounds.map((r) => r.provider_calls)),
      provider_calls_per_round: rounds.map((r) => r.provider_calls),
      refunded_delta: +rounds.reduce((sum, r) => sum + r.refunded_delta, 0).toFixed(2),
      statuses: rounds.reduce((acc, r) => {
        for (const [status, n] of Object.entries(r.statuses)) acc[status] = (acc[status] ?? 0) + n
        return acc
      }, {}),
      refused_or_replayed: rounds.reduce((sum, r) => sum + r.refused_or_replayed, 0),
      p95_refused_ms: ratios.includes(null) ? null : +percentile(rounds.map((r) => r.p95_refused_ms), 50).toFixed(2),
      p95_core_burst_floor_ms: +percentile(rounds.map((r) => r.p95_core_burst_floor_ms), 50).toFixed(2),
      ratio_p95_to_floor: ratios.includes(null) ? null : +percentile(ratios, 50).toFixed(2),
      ratio_p95_to_floor_per_round: ratios,
      target: "1 provider call per storm, the median round's p95 <= 1.0x its burst floor",
    }

    // Where the time goes: the server's own CPU per request of each route, in
    // blocks of one route at a time (not interleaved), each block's
    // subscribers drained before its CPU is read. Latency above the CPU is
    // time spent waiting (PostgreSQL round trips, the lock).
    const cpuBlock = async (list, call) => {
      await sleep(1000)
      const before = serverCpuMs(running.pid)
      for (const order of list) await call(order)
      await sleep(1000)
      return +((serverCpuMs(running.pid) - before) / list.length).toFixed(1)
    }
    const cpu_ms_per_request = {
      record_payment: await cpuBlock(plugin.concat(plugin), recordPayment),
      core_capture: await cpuBlock(core.concat(core), coreCapture),
      refund: await cpuBlock(plugin.concat(plugin), pluginRefund),
      core_refund: await cpuBlock(core.concat(core), coreRefund),
    }

    const ours = stats(samples.plugin)
    const theirs = stats(samples.core)
    const refundOurs = stats(refundSamples.plugin)
    const refundTheirs = stats(refundSamples.core)
    Object.assign(results, {
      record_payment: {
        plugin: { route: "POST /admin/payment-desk/orders/:id/payments", ...ours },
        core: { route: "POST /admin/payments/:id/capture", ...theirs },
        ratio_median: +(ours.median_ms / theirs.median_ms).toFixed(2),
        ratio_p95: +(ours.p95_ms / theirs.p95_ms).toFixed(2),
        server_cpu_ms_per_request: { plugin: cpu_ms_per_request.record_payment, core: cpu_ms_per_request.core_capture },
        ms_between_requests: ROUTE_GAP_MS,
        target: "<= 1.2x p50 (issue 23)",
      },
      refund: {
        plugin: { route: "POST /admin/payment-desk/orders/:id/refunds", ...refundOurs },
        core: { route: "POST /admin/payments/:id/refund", ...refundTheirs },
        ratio_median: +(refundOurs.median_ms / refundTheirs.median_ms).toFixed(2),
        ratio_p95: +(refundOurs.p95_ms / refundTheirs.p95_ms).toFixed(2),
        server_cpu_ms_per_request: { plugin: cpu_ms_per_request.refund, core: cpu_ms_per_request.core_refund },
        ms_between_requests: ROUTE_GAP_MS,
        target: "<= 1.2x p50 (issue 23)",
      },
      duplicate_storm: stormResult,
    })
    await running.stop()
    running = null
  })

  await runPart("sweep", async () => {
    // The auto-close sweep, in one process (medusa exec) on a fresh database.
    const sweepDb = "payment_desk_bench_sweep"
    const sweepEnv = { ...env, DATABASE_URL: await freshDatabase(sweepDb, env), NODE_OPTIONS: "--expose-gc" }
    const sweepOut = path.join(root, ".cache", "bench-sweep.json")
    log(`Auto-close sweep: ${SWEEP_SMALL} and ${SWEEP_LARGE} orders`)
    await run(medusa, ["exec", "./scripts/bench/sweep.ts"], {
      cwd: root,
      env: { ...sweepEnv, BENCH_SWEEP_OUT: sweepOut, BENCH_SWEEP_SMALL: SWEEP_SMALL, BENCH_SWEEP_LARGE: SWEEP_LARGE },
      log,
    })
    results.close_sweep = JSON.parse(fs.readFileSync(sweepOut, "utf8"))
    savePartial()
    await dropDatabase(server, sweepDb).catch(() => {})
  })

  await runPart("fleet", async () => {
    // The auto-close on a fleet: Redis (event bus, workflow engine, locking), one worker, then two,
    // each closing a set of equivalent orders made overdue at once; orders closed per second.
    const fleetDb = "payment_desk_bench_fleet"
    const redisPort = 16_400 + Math.floor(Math.random() * 500)
    const redis = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" })
    try {
      await sleep(500)
      const fleetEnv = {
        ...env,
        DATABASE_URL: serverUrl(server, fleetDb),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PAYMENT_DESK_AUTO_CLOSE_SCHEDULE: "1000",
      }
      await freshDatabase(fleetDb, fleetEnv)
      const fleetOut = path.join(root, ".cache", "bench-fleet.json")
      log(`Fleet: seeding 2 x ${FLEET_ORDERS} unpaid orders`)
      await run(medusa, ["exec", "./scripts/bench/seed-fleet.ts"], {
        cwd: root,
        env: { ...fleetEnv, BENCH_FLEET_OUT: fleetOut, BENCH_FLEET_ORDERS: FLEET_ORDERS, PAYMENT_DESK_OPTIONS: JSON.stringify({ auto_close: { enabled: false } }) },
        log,
      })
      const sets = JSON.parse(fs.readFileSync(fleetOut, "utf8"))
      const db = new pg.Client({ connectionString: fleetEnv.DATABASE_URL })
      await db.connect()
      // A failed run drops the database with force, which ends this connection: its error would hide the failure.
      db.on("error", () => {})
      const overdue = (ids) => db.query(`update "order" set created_at = now() - interval '72 hours' where id = any($1::text[])`, [ids])
      const closedOf = async (ids) =>
        (await db.query(`select count(*)::int as n from payment_desk_order_closure where order_id = any($1::text[]) and deleted_at is null`, [ids])).rows[0].n
      const runWith = async (workers, ids, warm) => {
        const started = []
        for (let i = 0; i < workers; i++) {
          started.push(await startStore({ env: { ...fleetEnv, MEDUSA_WORKER_MODE: "worker", MEDUSA_ADMIN_DISABLE: "true" }, port: 9320 + i, log }))
        }
        try {
          // The workers' first closes compile what they run: a few orders, untimed.
          if (warm.length) {
            await overdue(warm)
            while ((await closedOf(warm)) < warm.length) await sleep(200)
          }
          // Nothing left over (the seed's events, the warm-up's) runs in the measured time.
          await eventsDrained(redisPort)
          const cpuBefore = { workers: started.map((w) => serverCpuMs(w.pid)), postgres: cpuMsOfProcesses("postgres"), redis: serverCpuMs(redis.pid), machine: machineCpuMs() }
          await overdue(ids)
          const t0 = performance.now()
          let closed = 0
          while ((closed = await closedOf(ids)) < ids.length) {
            if (performance.now() - t0 > 600_000) throw new Error(`fleet of ${workers}: ${closed} of ${ids.length} closed after 10 minutes`)
            await sleep(100)
          }
          const closedMs = performance.now() - t0
          // The closes are done; what they set off (emails, the admin feed, counters) is part of their cost.
          await eventsDrained(redisPort)
          const ms = performance.now() - t0
          // Where the CPU went while they closed (the bench's own polling is a query every 100 ms).
          const workerCpu = started.map((w, i) => serverCpuMs(w.pid) - cpuBefore.workers[i])
          const cpu = {
            workers_ms: workerCpu,
            postgres_ms: cpuMsOfProcesses("postgres") - cpuBefore.postgres,
            redis_ms: serverCpuMs(redis.pid) - cpuBefore.redis,
          }
          const machine = machineCpuMs()
          cpu.machine_busy_ms = machine.busy - cpuBefore.machine.busy
          cpu.machine_idle_ms = machine.idle - cpuBefore.machine.idle
          const perOrder = (workerCpu.reduce((a, b) => a + b, 0) + cpu.postgres_ms + cpu.redis_ms) / ids.length
          const twice = (await db.query(`select count(*)::int as n from (select order_id from payment_desk_order_closure where order_id = any($1::text[]) group by order_id having count(*) > 1) d`, [ids])).rows[0].n
          return {
            workers,
            orders: ids.length,
            ms: Math.round(ms),
            closes_ms: Math.round(closedMs),
            orders_per_s: +((ids.length * 1000) / ms).toFixed(2),
            closed_twice: twice,
            cpu,
            cpu_ms_per_order: +perOrder.toFixed(1),
            cores_busy: +((workerCpu.reduce((a, b) => a + b, 0) + cpu.postgres_ms + cpu.redis_ms) / ms).toFixed(2),
            // The whole machine (every process and the kernel), what the cores' bound is computed from.
            machine_cpu_ms_per_order: +(cpu.machine_busy_ms / ids.length).toFixed(1),
            machine_cores_busy: +(cpu.machine_busy_ms / ms).toFixed(2),
          }
        } finally {
          for (const worker of started) await worker.stop()
        }
      }
      log(`Fleet: one worker closes ${FLEET_ORDERS} overdue orders`)
      const one = await runWith(1, sets.one, sets.warm.slice(0, 5))
      log(`Fleet: two workers close ${FLEET_ORDERS} overdue orders`)
      const two = await runWith(2, sets.two, sets.warm.slice(5))
      await db.end()
      // With every core busy, orders per second cannot pass cores / CPU per order, however many
      // workers: the machine's CPU per order (the processes counted above miss ~20 % of it).
      const bound = +((os.cpus().length * 1000) / two.machine_cpu_ms_per_order / one.orders_per_s).toFixed(2)
      results.fleet_sweep = { one, two, ratio: +(two.orders_per_s / one.orders_per_s).toFixed(2), cpus: os.cpus().length, ratio_bound_by_cores: bound }
      log(`Fleet: ${one.orders_per_s} orders/s with one worker, ${two.orders_per_s} with two (${results.fleet_sweep.ratio}x)`)
    } finally {
      redis.kill("SIGKILL")
      await dropDatabase(server, fleetDb).catch(() => {})
    }
  })

  await runPart("reconcile", async () => {
    // Reconciliation of pending Stripe refunds against the fake Stripe server.
    const reconcileDb = "payment_desk_bench_reconcile"
    const port = 12_400 + Math.floor(Math.random() * 500)
    const reconcileEnv = {
      ...env,
      DATABASE_URL: serverUrl(server, reconcileDb),
      PAYMENT_DESK_STRIPE_API_KEY: "sk_test_payment_desk",
      PAYMENT_DESK_STRIPE_WEBHOOK_SECRET: "whsec_test_payment_desk",
      PAYMENT_DESK_STRIPE_API_HOST: `http://127.0.0.1:${port}`,
    }
    // A copy of the plain store's template (its migrations need no Stripe, and the built store has no test fixtures).
    await freshDatabase(reconcileDb, env)
    const reconcileOut = path.join(root, ".cache", "bench-reconcile.json")
    log(`Reconciliation: ${RECONCILE_ROWS} refunds pending at Stripe`)
    await run(medusa, ["exec", "./scripts/bench/reconcile.ts"], {
      cwd: root,
      env: { ...reconcileEnv, BENCH_RECONCILE_OUT: reconcileOut, BENCH_RECONCILE_ROWS: RECONCILE_ROWS, BENCH_FAKE_STRIPE_PORT: String(port) },
      log,
    })
    results.reconcile = JSON.parse(fs.readFileSync(reconcileOut, "utf8"))
    await dropDatabase(server, reconcileDb).catch(() => {})
  })
  await runPart("import", async () => {
    // Bank statement import against the record-payment route, per payment; its heap at 1,000 and 10,000 lines.
    results.statement_import = await runImportBench({ server, baseEnv: env, log, lines: IMPORT_LINES, freshDatabase })
  })
  await runPart("import-fleet", async () => {
    const redisPort = 16_900 + Math.floor(Math.random() * 500)
    results.import_fleet = await runImportFleet({
      server,
      baseEnv: env,
      log,
      lines: IMPORT_FLEET_LINES,
      redisPort,
      freshDatabase,
      cpuMs: { process: serverCpuMs, postgres: () => cpuMsOfProcesses("postgres"), machine: machineCpuMs },
    })
    log(`Import on a fleet: ${results.import_fleet.one.lines_per_s} lines/s with one worker, ${results.import_fleet.two.lines_per_s} with two (${results.import_fleet.ratio}x)`)
  })
  await runPart("hostile", async () => {
    // Issue 20's hostile uploads through the import workflow, in one process: wall time, longest stall, peak RSS.
    const hostileDb = "payment_desk_bench_hostile"
    const options = JSON.parse(env.PAYMENT_DESK_OPTIONS || "{}")
    options.bank_statements = {
      ...(options.bank_statements ?? {}),
      csv_profiles: {
        ...(options.bank_statements?.csv_profiles ?? {}),
        bench_short: { delimiter: ";", decimal: ",", account_iban: "DE89370400440532013000", currency: "EUR", columns: { booking_date: "Datum", amount: "Betrag", remittance: "Text" } },
      },
    }
    const hostileEnv = { ...env, DATABASE_URL: serverUrl(server, hostileDb), PAYMENT_DESK_OPTIONS: JSON.stringify(options), NODE_OPTIONS: "--expose-gc" }
    await freshDatabase(hostileDb, env)
    const hostileOut = path.join(root, ".cache", "bench-hostile.json")
    log("Hostile uploads: a 10 MB CSV of short lines, an 800 kB pathological file, a 10,000-entry CAMT, a 10,000-line MT940")
    const hostileFiles = path.join(root, ".cache", "bench-hostile-files")
    await run(medusa, ["exec", "./scripts/bench/hostile-import.ts"], { cwd: root, env: { ...hostileEnv, BENCH_HOSTILE_OUT: hostileOut, BENCH_HOSTILE_FILES: hostileFiles }, log })
    results.hostile_uploads = JSON.parse(fs.readFileSync(hostileOut, "utf8"))
    // Each file's parse alone again, in a fresh process: the RSS it adds is the parser's own.
    for (const name of Object.keys(results.hostile_uploads)) {
      const args = ["--expose-gc", "-r", "ts-node/register", "scripts/bench/parse-alone.ts", path.join(hostileFiles, name), ...(name.endsWith(".csv") ? ["bench_short"] : [])]
      const output = await run(process.execPath, args, { cwd: root, env: { ...hostileEnv, TS_NODE_TRANSPILE_ONLY: "1", NODE_OPTIONS: "" }, log, quiet: true })
      results.hostile_uploads[name].parse_fresh = JSON.parse(output)
    }
    await dropDatabase(server, hostileDb).catch(() => {})
  })
  await runPart("lists", async () => {
    // The admin lists on a store of SCALE_ORDERS orders (seeded in SQL, see
    // scripts/bench/seed-scale.ts), each against core's own order list.
    const listsEnv = { ...env, DATABASE_URL: await freshDatabase(listsDb, env) }
    const fixturesFile = path.join(root, ".cache", "bench-lists-fixtures.json")
    log(`Seeding a store of ${SCALE_ORDERS} orders (medusa exec ./scripts/bench/seed-scale.ts)`)
    const seedStarted = Date.now()
    await run(medusa, ["exec", "./scripts/bench/seed-scale.ts"], {
      cwd: root,
      env: { ...listsEnv, BENCH_FIXTURES: fixturesFile, BENCH_SCALE_ORDERS: SCALE_ORDERS },
      log: (line) => line.includes("[seed-scale]") && log(line.trim()),
    })
    const seedWallMs = Date.now() - seedStarted
    const fixtures = JSON.parse(fs.readFileSync(fixturesFile, "utf8"))
    log(`Seeded in ${(seedWallMs / 1000).toFixed(1)} s (the script's own steps ${(fixtures.seed_ms.total / 1000).toFixed(1)} s): ${JSON.stringify(fixtures.counts)}`)
    results.lists_store = { counts: fixtures.counts, seed_wall_ms: seedWallMs, seed_ms: fixtures.seed_ms }
    // The heap probe (scripts/bench/heap-probe.cjs) measures the audit export's live heap.
    const heapProbeFile = path.join(root, ".cache", "bench-heap-probe.json")
    fs.rmSync(heapProbeFile, { force: true })
    running = await startStore({
      env: {
        ...listsEnv,
        MEDUSA_ADMIN_DISABLE: "true",
        NODE_OPTIONS: `${listsEnv.NODE_OPTIONS ?? ""} --expose-gc --require ${path.join(root, "scripts", "bench", "heap-probe.cjs")}`.trim(),
        BENCH_HEAP_PROBE_FILE: heapProbeFile,
      },
      port: 9312,
      log,
    })
    running.heapProbeFile = heapProbeFile
    const login = await fetch(`${running.url}/auth/user/emailpass`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "bench@payment-desk.test", password: "supersecret" }),
    })
    const { token } = await login.json()
    const headers = { authorization: `Bearer ${token}` }
    const read = async (route) => {
      const response = await fetch(`${running.url}${route}`, { headers })
      if (!response.ok) throw new Error(`GET ${route} answered ${response.status}: ${await response.text()}`)
      return response.json()
    }
    // The last page: offset = count - 20. A list whose count is PostgreSQL's
    // estimate (`count_estimated`) may say more rows than there are: then the
    // seeded count (exact) places the page, so it is never past the end.
    const lastPage = async (route, seeded) => {
      const answer = await read(route)
      const count = answer.count_estimated && typeof seeded === "number" ? seeded : answer.count
      return `${route}&offset=${Math.max(0, count - 20)}`
    }
    const CORE = "/admin/orders?limit=20"
    const desk = "/admin/payment-desk"
    const q = encodeURIComponent
    const cases = [
      ["awaiting payment, first page", `${desk}/awaiting-payment?limit=20`],
      ["awaiting payment, overdue", `${desk}/awaiting-payment?limit=20&overdue=true`],
      // The email the order was placed with, as a cashier copies it from a bank transfer (a prefix match).
      ["awaiting payment, q=<order email>", `${desk}/awaiting-payment?limit=20&q=${q(fixtures.order_email)}`],
      ["awaiting payment, last page", await lastPage(`${desk}/awaiting-payment?limit=20`, fixtures.counts.open_orders)],
      ["awaiting payment, last page by keyset", `${desk}/awaiting-payment?limit=20&page=last`],
      ["audit, first page", `${desk}/audit?limit=20`],
      ["audit, action=payment_recorded", `${desk}/audit?limit=20&action=payment_recorded`],
      ["audit, q=<reference>", `${desk}/audit?limit=20&q=${q(fixtures.reference)}`],
      ["audit, last page", await lastPage(`${desk}/audit?limit=20`, fixtures.counts.audit_entries)],
      // The same page by keyset, as the admin's Prev/Next read the audit: no offset.
      ["audit, last page by keyset", `${desk}/audit?limit=20&page=last`],
      ["closed orders, first page", `${desk}/closures?limit=20`],
      ["closed orders, reason=payment_timeout", `${desk}/closures?limit=20&reason=payment_timeout`],
      ["closed orders, q=<display id>", `${desk}/closures?limit=20&q=${fixtures.display_id}`],
      ["closed orders, last page", await lastPage(`${desk}/closures?limit=20`, fixtures.counts.closures)],
      ["closed orders, last page by keyset", `${desk}/closures?limit=20&page=last`],
      ["refunds, first page", `${desk}/refunds?limit=20`],
      ["refunds, status=failed", `${desk}/refunds?limit=20&status=failed`],
      ["refunds, last page", await lastPage(`${desk}/refunds?limit=20`, fixtures.counts.refunds)],
      ["refunds, last page by keyset", `${desk}/refunds?limit=20&page=last`],
      ["bank lines, first page", `${desk}/bank-transactions?limit=20`],
      ["bank lines, status=review", `${desk}/bank-transactions?limit=20&status=review`],
      ["bank lines, last page", await lastPage(`${desk}/bank-transactions?limit=20`, fixtures.counts.bank_transactions)],
      ["bank lines, last page by keyset", `${desk}/bank-transactions?limit=20&page=last`],
      ["bank statements, first page", `${desk}/bank-statements?limit=20`],
      ["cancellation requests, first page", `${desk}/cancellation-requests?limit=20`],
      ["order widget summary (200 audit entries, 50 refunds)", `${desk}/orders/${fixtures.widget_order_id}`],
    ]
    const core = await read(CORE)
    log(`Measuring ${cases.length} list requests against GET ${CORE} (${core.count} orders), ${LIST_SAMPLES} samples each after ${WARMUP} warm-ups, interleaved`)
    results.lists = {}
    for (const [name, route] of cases) {
      const answer = await read(route)
      const samples = { plugin: [], core: [] }
      for (let i = 0; i < WARMUP + LIST_SAMPLES; i++) {
        // Who goes first alternates, so neither side always follows the other.
        let ours, theirs
        if (i % 2 === 0) {
          ours = await timed(`${running.url}${route}`, { headers })
          theirs = await timed(`${running.url}${CORE}`, { headers })
        } else {
          theirs = await timed(`${running.url}${CORE}`, { headers })
          ours = await timed(`${running.url}${route}`, { headers })
        }
        if (i >= WARMUP) {
          samples.plugin.push(ours)
          samples.core.push(theirs)
        }
      }
      const ourStats = stats(samples.plugin)
      const coreStats = stats(samples.core)
      const ratio = +(ourStats.p95_ms / coreStats.p95_ms).toFixed(2)
      const rows = typeof answer.count === "number" ? answer.count : null
      const listed = Object.values(answer).find((value) => Array.isArray(value))
      results.lists[name] = {
        route: `GET ${route}`,
        rows,
        count_estimated: answer.count_estimated === true,
        page_rows: listed ? listed.length : null,
        plugin: ourStats,
        core: { route: `GET ${CORE}`, ...coreStats },
        ratio_p95: ratio,
        target: "<= 1.0x core p95",
      }
      log(`${name}: p95 ${ourStats.p95_ms} ms vs core ${coreStats.p95_ms} ms = ${ratio}x (p50 ${ourStats.median_ms} vs ${coreStats.median_ms} ms${rows === null ? "" : `, ${rows} rows${answer.count_estimated ? " (estimated)" : ""}, ${listed?.length ?? 0} on the page`})`)
      savePartial()
    }
    // The audit export (CSV, read in keyset pages and streamed): the last
    // nine days' entries (about a tenth of the trail), then the whole trail;
    // the server's live heap (after a collection) read before, every second
    // while each streams, and after, with its resident memory sampled every
    // 20 ms. The target: the live heap while the whole trail streams is no
    // larger than while a tenth does (+10 MB); an export held in memory would
    // hold the file. The resident memory is shown too: it grows with what V8
    // lets the heap reach between collections, not with what the export keeps.
    const tenthFrom = new Date(Date.now() - 9 * 86_400_000).toISOString()
    results.audit_export = {
      tenth: await measureExport(running, headers, `${desk}/audit/export?created_at_from=${q(tenthFrom)}`),
      whole: await measureExport(running, headers, `${desk}/audit/export`),
    }
    for (const [name, x] of Object.entries(results.audit_export)) {
      log(
        `audit export, ${name}: ${x.records} entries, ${x.mb} MB in ${x.ms} ms; live heap ${x.heap_live_before_mb} -> at most ${x.heap_live_max_mb} MB while it streamed (${x.heap_probes} reads), ${x.heap_live_after_mb} MB after; server RSS ${x.rss_before_mb} -> peak ${x.rss_peak_mb} MB`
      )
    }
    await running.stop()
    running = null
    await dropDatabase(server, listsDb).catch(() => {})
  })
  results.duration_s = Math.round((Date.now() - started) / 1000)

  const out = path.join(root, "bench-results")
  fs.mkdirSync(out, { recursive: true })
  results.table = table(results)
  fs.writeFileSync(path.join(out, "bench.json"), JSON.stringify(results, null, 2))
  console.log("")
  console.log(render(results))
  console.log(`\nWritten to ${path.relative(root, path.join(out, "bench.json"))}`)
} finally {
  await running?.stop()
  await dropDatabase(server, databaseName).catch(() => {})
  await dropDatabase(server, listsDb).catch(() => {})
  for (const kind of templates.keys()) await dropDatabase(server, templateName(kind)).catch(() => {})
  await server.stop()
}

/** A process's resident memory (MB) from /proc/<pid>/status. */
function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024
}

/**
 * Asks the store's heap probe (scripts/bench/heap-probe.cjs, SIGUSR2) to
 * collect the garbage and say what the heap holds: `{ live_heap, peak_heap_used,
 * rss, gc_ms }` in bytes (ms), `peak_heap_used` the largest heap in use since
 * the previous probe. Fails when the probe does not answer within 10 s.
 */
async function probeHeap(store) {
  const readAt = () => {
    try {
      return JSON.parse(fs.readFileSync(store.heapProbeFile, "utf8"))
    } catch {
      return null
    }
  }
  const previous = readAt()?.at ?? 0
  const asked = Date.now()
  process.kill(store.pid, "SIGUSR2")
  for (;;) {
    const answer = readAt()
    if (answer && answer.at > previous && answer.at >= asked - 5) return answer
    if (Date.now() - asked > 10_000) throw new Error(`The store's heap probe did not answer (${store.heapProbeFile})`)
    await sleep(10)
  }
}

/** Bytes as MB, one decimal. */
function mb(bytes) {
  return +(bytes / 1048576).toFixed(1)
}

/**
 * Downloads a CSV export, counting its bytes and records (CRLF-ended lines
 * after the header; the seeded notes have no line breaks). The server's live
 * heap (after a collection, `probeHeap`) is read before, at the first chunk
 * and every second while it streams (each read pauses the server for its
 * collection, ~`gc_ms`), and after; its resident memory is sampled every
 * 20 ms.
 */
async function measureExport(store, headers, route) {
  const heapBefore = await probeHeap(store)
  const before = rssMb(store.pid)
  let peak = before
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(store.pid))
  }, 20)
  const during = []
  const t0 = performance.now()
  try {
    const response = await fetch(`${store.url}${route}`, { headers })
    if (!response.ok) throw new Error(`GET ${route} answered ${response.status}: ${await response.text()}`)
    let bytes = 0
    let lines = 0
    let nextProbe = 0
    for await (const chunk of response.body) {
      bytes += chunk.length
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
      if (performance.now() >= nextProbe) {
        during.push(await probeHeap(store))
        nextProbe = performance.now() + 1000
      }
    }
    const ms = Math.round(performance.now() - t0)
    const heapAfter = await probeHeap(store)
    const liveMax = Math.max(...during.map((probe) => probe.live_heap))
    return {
      route: `GET ${route}`,
      records: lines - 1,
      mb: +(bytes / 1048576).toFixed(1),
      ms,
      heap_probes: during.length,
      heap_gc_ms: Math.round(during.reduce((sum, probe) => sum + probe.gc_ms, 0)),
      heap_live_before_mb: mb(heapBefore.live_heap),
      heap_live_max_mb: mb(liveMax),
      heap_live_growth_mb: mb(liveMax - heapBefore.live_heap),
      heap_live_after_mb: mb(heapAfter.live_heap),
      heap_in_use_peak_mb: mb(Math.max(...[...during, heapAfter].map((probe) => probe.peak_heap_used))),
      rss_before_mb: +before.toFixed(1),
      rss_peak_mb: +peak.toFixed(1),
      rss_growth_mb: +(peak - before).toFixed(1),
    }
  } finally {
    clearInterval(sampler)
  }
}

/** "; server CPU/request a vs b ms" when the run measured it. */
function cpuDetail(x) {
  return x.server_cpu_ms_per_request
    ? `; server CPU/request ${x.server_cpu_ms_per_request.plugin} vs ${x.server_cpu_ms_per_request.core} ms`
    : ""
}

/** The figures, each with its target and whether it is met. */
function table(r) {
  const rows = []
  const add = (figure, value, target, met, detail = "") => rows.push({ figure, value, target, met, detail })
  if (r.record_payment) {
    const x = r.record_payment
    // Issue 23's hold targets: record payment and refund p50 <= 1.2x; p95 is shown, with none of its own.
    add("record payment / core partial capture, p50", `${x.ratio_median}x`, "<= 1.2x", x.ratio_median <= 1.2, `${x.plugin.median_ms} vs ${x.core.median_ms} ms, n=${x.plugin.n}`)
    add("record payment / core partial capture, p95", `${x.ratio_p95}x`, "none", null, `${x.plugin.p95_ms} vs ${x.core.p95_ms} ms${cpuDetail(x)}`)
  }
  if (r.refund) {
    const x = r.refund
    add("refund / core refund, p50", `${x.ratio_median}x`, "<= 1.2x", x.ratio_median <= 1.2, `${x.plugin.median_ms} vs ${x.core.median_ms} ms, n=${x.plugin.n} (p95 ${x.ratio_p95}x)${cpuDetail(x)}`)
  }
  if (r.duplicate_storm) {
    const x = r.duplicate_storm
    const perRound = x.provider_calls_per_round ?? [x.provider_calls]
    add("50-way duplicate storm: provider calls", String(x.provider_calls), "1", perRound.every((n) => n === 1), `per storm ${perRound.join(", ")}; refunded +${x.refunded_delta}, statuses ${JSON.stringify(x.statuses)}`)
    add("50-way storm: p95 refused / burst floor p95", `${x.ratio_p95_to_floor}x`, "<= 1.0x", x.ratio_p95_to_floor !== null && x.ratio_p95_to_floor <= 1.0, `median of ${x.rounds ?? 1} rounds (${(x.ratio_p95_to_floor_per_round ?? [x.ratio_p95_to_floor]).join(", ")}); ${x.p95_refused_ms} vs ${x.p95_core_burst_floor_ms} ms (50 x GET /admin/payments/:id)`)
  }
  if (r.close_sweep) {
    const x = r.close_sweep
    add(`auto-close sweep ${x.sizes.small} orders / serial core cancel`, `${x.throughput_ratio}x`, ">= 1.5x", x.throughput_ratio >= 1.5, `${x.job_small.orders_per_s} vs ${x.core_cancel_small.orders_per_s} orders/s, concurrency ${x.concurrency}; CPU/order ${x.cpu_ms_per_order?.job} vs ${x.cpu_ms_per_order?.core_cancel} ms, one-thread bound ${x.throughput_bound}x${x.core_cancel_parts_cpu_ms_per_order ? `; of core's cancel, ${x.core_cancel_parts_cpu_ms_per_order.zero_credit_line} ms CPU is its zero-amount credit line, ${x.core_cancel_parts_cpu_ms_per_order.refund_captured_payments} ms its refund of nothing captured` : ""}`)
    add(`auto-close sweep ${x.sizes.large} orders / serial core cancel`, `${x.throughput_ratio_large}x`, ">= 1.5x", x.throughput_ratio_large >= 1.5, `${x.job_large.orders_per_s} orders/s, ${x.job_large.closed} closed`)
    add(
      `sweep retained heap ${x.sizes.small} -> ${x.sizes.large} orders`,
      `+${x.job_small.retained_heap_growth_mb} / +${x.job_large.retained_heap_growth_mb} MB`,
      "flat (<= +5 MB)",
      x.job_large.retained_heap_growth_mb - x.job_small.retained_heap_growth_mb <= 5,
      `peak heap ${x.job_small.peak_heap_mb} / ${x.job_large.peak_heap_mb} MB`
    )
  }
  if (r.fleet_sweep) {
    const x = r.fleet_sweep
    add(
      `auto-close on 2 workers / 1 worker (Redis event bus), orders per second`,
      `${x.ratio}x`,
      ">= 1.8x",
      x.ratio >= 1.8,
      `${x.two.orders_per_s} vs ${x.one.orders_per_s} orders/s, ${x.one.orders} orders each; closed twice: ${x.one.closed_twice + x.two.closed_twice}; CPU per order (workers + PostgreSQL + Redis) ${x.one.cpu_ms_per_order} / ${x.two.cpu_ms_per_order} ms, the whole machine ${x.one.machine_cpu_ms_per_order} / ${x.two.machine_cpu_ms_per_order} ms; cores busy ${x.one.machine_cores_busy} / ${x.two.machine_cores_busy} of ${x.cpus}: at most ${x.ratio_bound_by_cores}x on this machine`
    )
  }
  if (r.reconcile) {
    const x = r.reconcile
    add(`reconcile ${x.rows} pending Stripe refunds: list calls`, `${x.total_calls} (max ${x.max_calls_per_run}/run)`, `<= ${x.payments} payments + 429s; <= ${x.budget}/run`, x.total_calls <= x.payments + x.rate_limited && x.max_calls_per_run <= x.budget, `${x.rate_limited} x 429 retried, ${x.failed} failed`)
    add("reconcile: oldest unchecked row age", `${x.oldest_unchecked_age_s} s`, `every row within ${x.runs_bound} runs`, x.runs_to_see_all <= x.runs_bound, `${x.total_calls} list calls in all, ${x.checked} rows checked, ${x.ms_per_run} ms per run`)
  }
  if (r.statement_import) {
    const x = r.statement_import
    add(
      `statement import ${x.lines} lines / record-payment route, per payment`,
      `${x.ratio_per_payment}x`,
      "<= 0.6x",
      x.ratio_per_payment <= 0.6,
      `${x.import_ms_per_recorded_payment} vs ${x.route_ms_mean} ms; ${x.statement.recorded} recorded, ${x.statement.review} for review in ${x.import_ms} ms (the upload answered after ${x.answered_ms} ms)`
    )
    const m = x.memory
    add(
      "statement import retained heap 1,000 -> 10,000 lines",
      `+${m["1000"].retained_heap_growth_mb} / +${m["10000"].retained_heap_growth_mb} MB`,
      "flat (<= +5 MB)",
      m["10000"].retained_heap_growth_mb - m["1000"].retained_heap_growth_mb <= 5,
      `parse + match + store: ${m["1000"].ms} / ${m["10000"].ms} ms; peak heap growth ${m["1000"].peak_heap_growth_mb} / ${m["10000"].peak_heap_growth_mb} MB`
    )
  }
  if (r.import_fleet) {
    const x = r.import_fleet
    add(
      `statement import of ${x.one.lines} exact lines booked by 2 workers / 1 worker, lines per second`,
      `${x.ratio}x`,
      ">= 1.6x",
      x.ratio >= 1.6,
      `${x.one.lines_per_s} vs ${x.two.lines_per_s} lines/s (${x.one.recorded} and ${x.two.recorded} recorded in ${x.one.ms} and ${x.two.ms} ms; uploads answered in ${x.one.answered_ms} and ${x.two.answered_ms} ms); lines booked twice: ${x.one.booked_twice + x.two.booked_twice}; CPU per line (the store's processes, PostgreSQL, Redis) ${x.one.cpu_ms_per_line} / ${x.two.cpu_ms_per_line} ms, the whole machine ${x.one.machine_cpu_ms_per_line} / ${x.two.machine_cpu_ms_per_line} ms; cores busy ${x.one.machine_cores_busy} / ${x.two.machine_cores_busy}: bound by ${x.cpus} cores at ${x.ratio_bound_by_cores}x`
    )
  }
  if (r.hostile_uploads) {
    for (const [name, x] of Object.entries(r.hostile_uploads)) {
      add(`upload ${name} (${(x.bytes / 1048576).toFixed(1)} MB): longest event-loop stall`, `${x.longest_stall_ms} ms`, "<= 50 ms", x.longest_stall_ms <= 50, `${x.outcome}; wall ${x.wall_ms} ms; peak RSS ${x.peak_rss_mb} MB (from ${x.rss_before_mb}); the parse alone ${x.parse_only_ms} ms, stall ${x.parse_only_stall_ms} ms${x.parse_fresh ? `; in a fresh process ${x.parse_fresh.wall_ms} ms, stall ${x.parse_fresh.longest_stall_ms} ms, RSS ${x.parse_fresh.rss_before_mb} -> ${x.parse_fresh.peak_rss_mb} MB` : ""}`)
    }
  }
  if (r.audit_export) {
    const { tenth, whole } = r.audit_export
    add(
      `audit export of ${whole.records} entries: the server's live heap while it streams`,
      `+${whole.heap_live_growth_mb} MB`,
      `flat (<= the ${tenth.records}-entry export's + 10 MB)`,
      whole.heap_live_growth_mb <= tenth.heap_live_growth_mb + 10,
      `${whole.mb} MB of CSV in ${whole.ms} ms (${whole.heap_probes} heap reads, ${whole.heap_gc_ms} ms of collections); ${tenth.records} entries (${tenth.mb} MB): +${tenth.heap_live_growth_mb} MB live; live heap after ${whole.heap_live_after_mb} MB (before ${whole.heap_live_before_mb}); heap in use at most ${whole.heap_in_use_peak_mb} MB; RSS +${whole.rss_growth_mb} MB (the tenth +${tenth.rss_growth_mb} MB)`
    )
  }
  if (r.lists) {
    for (const [name, x] of Object.entries(r.lists)) {
      add(
        `list: ${name} / core order list, p95`,
        `${x.ratio_p95}x`,
        "≤ 1.0× core p95",
        x.ratio_p95 <= 1.0,
        `${x.plugin.p95_ms} vs ${x.core.p95_ms} ms (p50 ${x.plugin.median_ms} vs ${x.core.median_ms} ms), n=${x.plugin.n}${x.rows === null ? "" : `; ${x.rows} rows${x.count_estimated ? " (estimated)" : ""}, ${x.page_rows} on the page`}`
      )
    }
  }
  return rows
}

/** The table as text, with the machine under it. */
function render(r) {
  const rows = r.table
  const w = [Math.max(...rows.map((x) => x.figure.length), 6), Math.max(...rows.map((x) => x.value.length), 5), Math.max(...rows.map((x) => x.target.length), 6)]
  const line = (a, b, c, d, e) => `${a.padEnd(w[0])}  ${b.padStart(w[1])}  ${c.padEnd(w[2])}  ${d.padEnd(4)}  ${e}`
  const out = [line("figure", "value", "target", "met", "detail"), line("-".repeat(w[0]), "-".repeat(w[1]), "-".repeat(w[2]), "----", "------")]
  for (const x of rows) out.push(line(x.figure, x.value, x.target, x.met === null ? "-" : x.met ? "yes" : "NO", x.detail))
  const m = r.machine
  out.push("")
  if (r.lists_store) {
    const c = r.lists_store.counts
    out.push("")
    out.push(`lists: a store of ${c.orders} orders (${c.closures} closed), ${c.audit_entries} audit entries, ${c.refunds} refunds, ${c.bank_transactions} bank lines in ${c.bank_statements} statements, ${c.cancellation_requests} cancellation requests, ${c.customers} customers; seeded in ${(r.lists_store.seed_wall_ms / 1000).toFixed(1)} s`)
  }
  if (r.not_run_in_quick?.length) {
    out.push(`not run in a quick run: ${r.not_run_in_quick.join(", ")} (at its sizes a fleet's ratio is the workers' warm-up; \`npm run bench -- --quick --only=fleet\` runs one)`)
  }
  if (r.part_seconds) {
    out.push(`time per part (s): ${Object.entries(r.part_seconds).map(([name, s]) => `${name} ${s}`).join(", ")}`)
  }
  out.push(`machine: ${m.cpus} cores (${m.cpu_model}), Node ${m.node}, PostgreSQL ${m.postgres}, load average at start ${m.load_average_at_start?.join(" ")}; ${r.quick ? "quick run" : "full run"} in ${r.duration_s} s`)
  return out.join("\n")
}
