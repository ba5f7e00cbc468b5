// The statement-import benchmark of `npm run bench`: a generated CAMT.053
// with BENCH_IMPORT_LINES credit lines (80 % exact, 10 % partial, 10 %
// naming no order) imported through the route, against as many calls of the
// record-payment route as the import records, on the same server and
// database; and the heap an import keeps, at 1,000 and 10,000 lines. Then
// (runImportFleet) the booking of an import on a fleet: one server takes the
// upload and one worker, then two, book its lines through the Redis event bus.
import { execFile, spawn } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import database from "../lib/database.cjs"
import pg from "pg"
import store from "../lib/store.cjs"

const { ensureDatabase, dropDatabase, serverUrl } = database
const { root, migrate, run, startStore } = store
const medusa = path.join(root, "node_modules", ".bin", "medusa")
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// Medusa's Redis event bus names its BullMQ queue `events-queue` under the
// prefix of its service class's name (@medusajs/event-bus-redis 2.21).
const EVENTS_QUEUE = "RedisEventBusService:events-queue"

/** A number redis-cli prints for `args` on the bench's Redis. */
const redisNumber = (redisPort, args) =>
  new Promise((resolve, reject) =>
    execFile("redis-cli", ["-p", String(redisPort), ...args], (error, out) => (error ? reject(error) : resolve(Number(out.trim()) || 0)))
  )

/** Jobs of Medusa's Redis event bus not done yet (waiting, paused, active, delayed, prioritized). */
async function eventJobsPending(redisPort) {
  const counts = await Promise.all([
    redisNumber(redisPort, ["llen", `${EVENTS_QUEUE}:wait`]),
    redisNumber(redisPort, ["llen", `${EVENTS_QUEUE}:paused`]),
    redisNumber(redisPort, ["llen", `${EVENTS_QUEUE}:active`]),
    redisNumber(redisPort, ["zcard", `${EVENTS_QUEUE}:delayed`]),
    redisNumber(redisPort, ["zcard", `${EVENTS_QUEUE}:prioritized`]),
  ])
  return counts.reduce((a, b) => a + b, 0)
}

/**
 * Waits until Medusa's Redis event bus has no job left (the events a fleet's
 * work set off: the payment emails, the audit of Medusa's own captures, the
 * closures' notifications), polling every 100 ms; ms waited. A fleet's
 * figure runs to here: a run that stopped at its last row booked left these
 * to the next run's workers (on 2026-12-07 the single worker of the import
 * stopped with ~1,000 notifications of its payments still queued, and the
 * two workers after it wrote them in their own run).
 */
export async function eventsDrained(redisPort, timeoutMs = 600_000) {
  const started = performance.now()
  // A wrong key would read as "nothing left": the queue must have keys (the seeds emit events).
  const keys = await redisNumber(redisPort, ["eval", "return #redis.call('keys', ARGV[1])", "0", `${EVENTS_QUEUE}:*`])
  if (!keys) throw new Error(`No BullMQ queue ${EVENTS_QUEUE} on the bench's Redis: has Medusa's event bus renamed it?`)
  while ((await eventJobsPending(redisPort)) > 0) {
    if (performance.now() - started > timeoutMs) throw new Error(`Medusa's event bus still had jobs after ${timeoutMs / 1000} s`)
    await sleep(100)
  }
  return performance.now() - started
}

/** Logs the bench admin in; the headers of its requests. */
export async function adminAuth(url) {
  const login = await fetch(`${url}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@payment-desk.test", password: "supersecret" }),
  })
  const { token } = await login.json()
  return { authorization: `Bearer ${token}` }
}

/**
 * Uploads a statement file and waits until its lines are booked (an import
 * over `bank_statements.inline_booking_limit` answers first and is booked by
 * the workers); the statement as it ends, when the upload answered and when
 * the last line was booked (ms from the upload).
 */
async function importAndBook(url, auth, file, name) {
  const form = new FormData()
  form.append("file", new Blob([fs.readFileSync(file)]), name)
  const started = performance.now()
  const response = await fetch(`${url}/admin/payment-desk/bank-statements`, { method: "POST", headers: auth, body: form })
  const body = await response.json()
  const answeredMs = performance.now() - started
  if (response.status !== 201) {
    throw new Error(`The import answered ${response.status}: ${JSON.stringify(body)}`)
  }
  let statement = body.bank_statement
  while (statement.booking > 0) {
    if (performance.now() - started > 1_800_000) throw new Error(`${statement.booking} lines of ${name} still booking after 30 minutes`)
    await sleep(100)
    const read = await fetch(`${url}/admin/payment-desk/bank-statements/${statement.id}`, { headers: auth })
    statement = (await read.json()).bank_statement
  }
  return { statement, answered_ms: Math.round(answeredMs), booked_ms: performance.now() - started }
}

/**
 * A fresh database `name`, migrated for a store run with `env`: its URL. The
 * bench passes its own (a copy of a database it migrated once); alone, this
 * file migrates each.
 */
async function migratedDatabase(server, name, env, log) {
  await dropDatabase(server, name)
  await ensureDatabase(server, name)
  const url = serverUrl(server, name)
  await migrate({ env: { ...env, DATABASE_URL: url }, log })
  return url
}

/**
 * Runs the import benchmark on its own database; the store must be built.
 * `freshDatabase(name, env)` makes each database (default: migrated anew).
 * Returns its figures.
 */
export async function runImportBench({ server, baseEnv, log, lines, freshDatabase = (name, env) => migratedDatabase(server, name, env, log) }) {
  const name = "payment_desk_bench_import"
  const dir = path.join(root, ".cache", "bench-import")
  let running
  try {
    const env = { ...baseEnv, DATABASE_URL: await freshDatabase(name, baseEnv) }
    log(`Statement import: seeding ${lines} open orders and the statement`)
    await run(medusa, ["exec", "./scripts/bench/seed-import.ts"], {
      cwd: root,
      env: { ...env, BENCH_IMPORT_LINES: String(lines), BENCH_IMPORT_DIR: dir },
      log,
      quiet: true,
    })
    const fixtures = JSON.parse(fs.readFileSync(path.join(dir, "fixtures.json"), "utf8"))
    running = await startStore({ env: { ...env, MEDUSA_ADMIN_DISABLE: "true" }, port: 9312, log })
    const auth = await adminAuth(running.url)

    log(`Statement import: importing ${lines} lines (and waiting until the workers have booked them)`)
    const imported = await importAndBook(running.url, auth, path.join(dir, "statement.xml"), "bench-statement.xml")
    const statement = imported.statement
    const importMs = imported.booked_ms

    const calls = statement.recorded
    log(`Statement import: ${calls} calls of the record-payment route`)
    const routeHeaders = { ...auth, "content-type": "application/json" }
    let routeMs = 0
    for (let i = 0; i < calls; i++) {
      const orderId = fixtures.route_orders[Math.floor(i / 10)]
      const t0 = performance.now()
      const r = await fetch(`${running.url}/admin/payment-desk/orders/${orderId}/payments`, {
        method: "POST",
        headers: routeHeaders,
        body: JSON.stringify({ amount: 10, method: "bank-transfer", reference: `BENCH-${i}` }),
      })
      await r.text()
      routeMs += performance.now() - t0
      if (!r.ok) throw new Error(`record payment answered ${r.status}`)
    }
    await running.stop()
    running = null

    log("Statement import: retained memory at 1,000 and 10,000 lines")
    const memoryOut = path.join(dir, "memory.json")
    const memoryEnv = { ...env, DATABASE_URL: await freshDatabase(`${name}_memory`, baseEnv) }
    await run(medusa, ["exec", "./scripts/bench/import-memory.ts"], {
      cwd: root,
      env: { ...memoryEnv, BENCH_IMPORT_MEMORY_OUT: memoryOut, NODE_OPTIONS: "--expose-gc" },
      log,
      quiet: true,
    })
    const memory = JSON.parse(fs.readFileSync(memoryOut, "utf8"))

    const perPaymentImport = importMs / Math.max(1, statement.recorded)
    const perRoute = routeMs / Math.max(1, calls)
    return {
      lines,
      statement: { recorded: statement.recorded, review: statement.review, credits: statement.credits },
      import_ms: Math.round(importMs),
      answered_ms: imported.answered_ms,
      import_ms_per_recorded_payment: +perPaymentImport.toFixed(2),
      route_calls: calls,
      route_ms_mean: +perRoute.toFixed(2),
      ratio_per_payment: +(perPaymentImport / perRoute).toFixed(2),
      target: "<= 0.6x the route per payment; retained memory flat from 1,000 to 10,000 lines",
      memory,
    }
  } finally {
    await running?.stop()
    await dropDatabase(server, name).catch(() => {})
    await dropDatabase(server, `${name}_memory`).catch(() => {})
  }
}

/**
 * The booking of an import on a fleet: Redis (event bus, workflow engine,
 * locking), one server that takes the uploads (`MEDUSA_WORKER_MODE=server`)
 * and one worker, then two, each booking a file of `lines` exact matches on
 * orders of its own; lines booked per second from the upload to the last
 * line, and each line's receipts (exactly one); and where the CPU went
 * meanwhile (`cpuMs.process(pid)`, `cpuMs.postgres()`: ms so far; `cpuMs.machine().busy`: the whole machine's), which
 * bounds what more workers can give on this machine's cores. The store must
 * be built; `freshDatabase` as for runImportBench.
 */
export async function runImportFleet({ server, baseEnv, log, lines, redisPort, cpuMs, freshDatabase = (name, env) => migratedDatabase(server, name, env, log) }) {
  const name = "payment_desk_bench_import_fleet"
  const redis = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" })
  const dir = path.join(root, ".cache", "bench-import-fleet")
  const env = { ...baseEnv, DATABASE_URL: serverUrl(server, name), REDIS_URL: `redis://127.0.0.1:${redisPort}`, MEDUSA_ADMIN_DISABLE: "true" }
  const running = []
  try {
    await sleep(500)
    await freshDatabase(name, env)
    log(`Import on a fleet: seeding 2 x ${lines} open orders and their statements`)
    await run(medusa, ["exec", "./scripts/bench/seed-import.ts"], {
      cwd: root,
      env: { ...env, BENCH_IMPORT_LINES: "10", BENCH_IMPORT_FLEET_LINES: String(lines), BENCH_IMPORT_DIR: dir },
      log,
      quiet: true,
    })
    const uploads = await startStore({ env: { ...env, MEDUSA_WORKER_MODE: "server" }, port: 9330, log })
    running.push(uploads)
    const auth = await adminAuth(uploads.url)
    const db = new pg.Client({ connectionString: env.DATABASE_URL })
    await db.connect()
    // A failed run drops the database with force, which ends this connection: its error would hide the failure.
    db.on("error", () => {})
    const runWith = async (workers, set) => {
      const started = []
      for (let i = 0; i < workers; i++) {
        started.push(await startStore({ env: { ...env, MEDUSA_WORKER_MODE: "worker" }, port: 9331 + i, log }))
      }
      running.push(...started)
      try {
        log(`Import on a fleet: ${workers} worker(s) book fleet-${set}.xml (${lines} lines)`)
        // Nothing left over (the seed's events, an earlier run's) runs in the measured time.
        await eventsDrained(redisPort)
        const processes = [uploads, ...started]
        const before = { processes: processes.map((p) => cpuMs.process(p.pid)), postgres: cpuMs.postgres(), redis: cpuMs.process(redis.pid), machine: cpuMs.machine() }
        const { statement, answered_ms, booked_ms: bookedOnlyMs } = await importAndBook(uploads.url, auth, path.join(dir, `fleet-${set}.xml`), `fleet-${set}.xml`)
        // The lines are booked; what they set off (payment emails, audits) is part of their cost.
        const booked_ms = bookedOnlyMs + (await eventsDrained(redisPort))
        const receipts = await db.query(
          `select count(*)::int as lines, count(*) filter (where n > 1)::int as twice
             from (select t.id, count(a.id) as n from payment_desk_bank_transaction t
                   left join payment_desk_audit_entry a on a.idempotency_key = 'bank-transaction:' || t.id and a.action = 'payment_recorded'
                   where t.bank_statement_id = $1 group by t.id) lines`,
          [statement.id]
        )
        const cpu = {
          server_ms: cpuMs.process(uploads.pid) - before.processes[0],
          workers_ms: started.map((p, i) => cpuMs.process(p.pid) - before.processes[i + 1]),
          postgres_ms: cpuMs.postgres() - before.postgres,
          redis_ms: cpuMs.process(redis.pid) - before.redis,
          machine_busy_ms: cpuMs.machine().busy - before.machine.busy,
        }
        const cpuTotal = cpu.server_ms + cpu.workers_ms.reduce((a, b) => a + b, 0) + cpu.postgres_ms + cpu.redis_ms
        return {
          workers,
          lines,
          cpu,
          cpu_ms_per_line: +(cpuTotal / Math.max(1, statement.recorded)).toFixed(1),
          cores_busy: +(cpuTotal / booked_ms).toFixed(2),
          // The whole machine (every process and the kernel), what the cores' bound is computed from.
          machine_cpu_ms_per_line: +(cpu.machine_busy_ms / Math.max(1, statement.recorded)).toFixed(1),
          machine_cores_busy: +(cpu.machine_busy_ms / booked_ms).toFixed(2),
          recorded: statement.recorded,
          review: statement.review,
          answered_ms,
          ms: Math.round(booked_ms),
          lines_booked_ms: Math.round(bookedOnlyMs),
          lines_per_s: +((statement.recorded * 1000) / booked_ms).toFixed(2),
          booked_twice: receipts.rows[0].twice,
        }
      } finally {
        for (const worker of started) {
          await worker.stop()
          running.splice(running.indexOf(worker), 1)
        }
      }
    }
    // BENCH_IMPORT_FLEET_ORDER=two-first runs the two workers first: whether
    // a run's figure depends on what the database holds from the run before.
    let one, two
    if (process.env.BENCH_IMPORT_FLEET_ORDER === "two-first") {
      two = await runWith(2, 2)
      one = await runWith(1, 1)
    } else {
      one = await runWith(1, 1)
      two = await runWith(2, 2)
    }
    await db.end()
    // With every core busy, lines per second cannot pass cores / CPU per line, however many
    // workers: the machine's CPU per line (the processes counted above miss ~20 % of it).
    const cores = (await import("node:os")).cpus().length
    const bound = +((cores * 1000) / two.machine_cpu_ms_per_line / one.lines_per_s).toFixed(2)
    return { one, two, ratio: +(two.lines_per_s / one.lines_per_s).toFixed(2), ratio_bound_by_cores: bound, cpus: cores, target: ">= 1.6x with two workers" }
  } finally {
    for (const process of running) await process.stop()
    redis.kill("SIGKILL")
    await dropDatabase(server, name).catch(() => {})
  }
}

// `node scripts/bench/import-bench.mjs [lines]`: this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { resolveDatabase } = database
  const log = (message) => console.log(`[bench:import] ${message}`)
  const server = await resolveDatabase({ dataDir: path.join(root, ".cache", "test-postgres"), log })
  try {
    const baseEnv = { ...process.env, NODE_ENV: "production" }
    await store.buildStore({ env: baseEnv, log })
    const result = await runImportBench({ server, baseEnv, log, lines: Number(process.argv[2] || 5000) })
    console.log(JSON.stringify(result, null, 2))
  } finally {
    await server.stop()
  }
}
