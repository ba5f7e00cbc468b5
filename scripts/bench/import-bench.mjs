// The statement-import benchmark of `npm run bench`: a generated CAMT.053
// with BENCH_IMPORT_LINES credit lines (80 % exact, 10 % partial, 10 %
// naming no order) imported through the route, against as many calls of the
// record-payment route as the import records, on the same server and
// database; and the heap an import keeps, at 1,000 and 10,000 lines.
import fs from "node:fs"
import path from "node:path"
import database from "../lib/database.cjs"
import store from "../lib/store.cjs"

const { ensureDatabase, dropDatabase, serverUrl } = database
const { root, migrate, run, startStore } = store
const medusa = path.join(root, "node_modules", ".bin", "medusa")

/** Runs the import benchmark on its own database; the store must be built. Returns its figures. */
export async function runImportBench({ server, baseEnv, log, lines }) {
  const name = "payment_desk_bench_import"
  await dropDatabase(server, name)
  await ensureDatabase(server, name)
  const env = { ...baseEnv, DATABASE_URL: serverUrl(server, name) }
  const dir = path.join(root, ".cache", "bench-import")
  let running
  try {
    await migrate({ env, log })
    log(`Statement import: seeding ${lines} open orders and the statement`)
    await run(medusa, ["exec", "./scripts/bench/seed-import.ts"], {
      cwd: root,
      env: { ...env, BENCH_IMPORT_LINES: String(lines), BENCH_IMPORT_DIR: dir },
      log,
      quiet: true,
    })
    const fixtures = JSON.parse(fs.readFileSync(path.join(dir, "fixtures.json"), "utf8"))
    running = await startStore({ env: { ...env, MEDUSA_ADMIN_DISABLE: "true" }, port: 9312, log })
    const login = await fetch(`${running.url}/auth/user/emailpass`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "bench@payment-desk.test", password: "supersecret" }),
    })
    const { token } = await login.json()
    const auth = { authorization: `Bearer ${token}` }

    log(`Statement import: importing ${lines} lines`)
    const form = new FormData()
    form.append("file", new Blob([fs.readFileSync(path.join(dir, "statement.xml"))]), "bench-statement.xml")
    const started = performance.now()
    const response = await fetch(`${running.url}/admin/payment-desk/bank-statements`, { method: "POST", headers: auth, body: form })
    const body = await response.json()
    const importMs = performance.now() - started
    if (response.status !== 201) {
      throw new Error(`The import answered ${response.status}: ${JSON.stringify(body)}`)
    }
    const statement = body.bank_statement

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
    await dropDatabase(server, `${name}_memory`)
    await ensureDatabase(server, `${name}_memory`)
    const memoryEnv = { ...env, DATABASE_URL: serverUrl(server, `${name}_memory`) }
    await migrate({ env: memoryEnv, log })
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
      import_ms_per_recorded_payment: +perPaymentImport.toFixed(2),
      route_calls: calls,
      route_ms_mean: +perRoute.toFixed(2),
      ratio_per_payment: +(perPaymentImport / perRoute).toFixed(2),
      target: "<= 1.0x the route per payment; retained memory flat from 1,000 to 10,000 lines",
      memory,
    }
  } finally {
    await running?.stop()
    await dropDatabase(server, name).catch(() => {})
    await dropDatabase(server, `${name}_memory`).catch(() => {})
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
