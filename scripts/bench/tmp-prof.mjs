import fs from "node:fs"
import path from "node:path"
import database from "../lib/database.cjs"
import store from "../lib/store.cjs"
const { resolveDatabase, ensureDatabase, dropDatabase, serverUrl } = database
const { root, migrate, run, startStore } = store
const log = (m) => console.log(`[prof] ${m}`)
const side = process.argv[2] // plugin | core | refund-plugin | refund-core
const N = Number(process.argv[3] || 60)
const server = await resolveDatabase({ dataDir: path.join(root, ".cache", "test-postgres"), log })
const db = "payment_desk_prof"
await dropDatabase(server, db); await ensureDatabase(server, db)
const env = { ...process.env, NODE_ENV: "production", DATABASE_URL: serverUrl(server, db) }
await migrate({ env, log })
const fixtures = path.join(root, ".cache", "prof-fixtures.json")
await run(path.join(root, "node_modules", ".bin", "medusa"), ["exec", "./scripts/bench/seed-bench.ts"], { cwd: root, env: { ...env, BENCH_FIXTURES: fixtures, BENCH_ORDERS_PER_SIDE: "10" }, log, quiet: true })
const { orders } = JSON.parse(fs.readFileSync(fixtures, "utf8"))
const dir = `/tmp/prof/${side}`; fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir, { recursive: true })
import { spawn } from "node:child_process"
const cli = fs.realpathSync(path.join(root, "node_modules", ".bin", "medusa"))
const child = spawn(process.execPath, [`--cpu-prof`, `--cpu-prof-dir=${dir}`, cli, "start"], { cwd: store.builtStore, env: { ...env, MEDUSA_ADMIN_DISABLE: "true", PORT: "9319" }, stdio: ["ignore", "inherit", "inherit"] })
for (let i = 0; i < 120; i++) { try { if ((await fetch("http://localhost:9319/health")).ok) break } catch {} await new Promise((r) => setTimeout(r, 500)) }
const running = { url: "http://localhost:9319", stop: () => new Promise((res) => { child.once("exit", res); child.kill("SIGINT") }) }
const login = await fetch(`${running.url}/auth/user/emailpass`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "bench@payment-desk.test", password: "supersecret" }) })
const { token } = await login.json()
const headers = { "content-type": "application/json", authorization: `Bearer ${token}` }
const list = orders.filter((o) => o.side === (side.endsWith("core") ? "core" : "plugin"))
import pg from "pg"
const admin = new pg.Client({ connectionString: serverUrl(server, "postgres") }); await admin.connect()
// warm up 10 requests untimed, then log statements
const ms = []
const WARM = 10
for (let i = 0; i < N + WARM; i++) {
  if (i === WARM) { await admin.query(`alter system set log_min_duration_statement = 0`); await admin.query("select pg_reload_conf()"); console.log("MARK-START") }
  const o = list[i % list.length]
  let url, body
  if (side === "plugin") { url = `/admin/payment-desk/orders/${o.order_id}/payments`; body = { amount: 1, method: "bank-transfer", reference: "P" } }
  if (side === "core") { url = `/admin/payments/${o.payment_id}/capture`; body = { amount: 1 } }
  const t = performance.now()
  const r = await fetch(running.url + url, { method: "POST", headers, body: JSON.stringify(body) })
  await r.text(); if (!r.ok) throw new Error(`${r.status}`)
  if (i >= WARM) ms.push(performance.now() - t)
}
await admin.query(`alter system reset log_min_duration_statement`); await admin.query("select pg_reload_conf()"); await admin.end()
ms.sort((a, b) => a - b)
log(`${side}: p50 ${ms[Math.floor(ms.length / 2)].toFixed(1)} ms`)
await running.stop()
await dropDatabase(server, db); await server.stop()
