// `npm run demo`: a store a merchant can click through, on an embedded
// PostgreSQL unless DATABASE_URL names a database.
import fs from "node:fs"
import path from "node:path"
import { dropDatabase, ensureDatabase, resolveDatabase, serverUrl } from "./lib/database.cjs"
import { buildStore, migrate, root, seedDemo, startStore } from "./lib/store.cjs"

const log = (message) => console.log(`[demo] ${message}`)
const port = Number(process.env.PORT || 9000)
const databaseName = "payment_desk_demo"
const fresh = process.argv.includes("--fresh")

const server = await resolveDatabase({
  dataDir: path.join(root, ".data", "postgres"),
  useConfigured: Boolean(process.env.DATABASE_URL),
  log,
})
let store
let stopping = false
async function shutdown(code) {
  if (stopping) return
  stopping = true
  log("Stopping the store and the database")
  await store?.stop()
  await server.stop()
  log("Stopped")
  process.exit(code)
}
process.on("SIGINT", () => shutdown(0))
process.on("SIGTERM", () => shutdown(0))

try {
  const url = process.env.DATABASE_URL
    ? process.env.DATABASE_URL
    : serverUrl(server, databaseName)
  if (!process.env.DATABASE_URL) {
    if (fresh) {
      log(`Dropping database ${databaseName} (--fresh)`)
      await dropDatabase(server, databaseName)
    }
    const created = await ensureDatabase(server, databaseName)
    log(created ? `Created database ${databaseName}` : `Reusing database ${databaseName}`)
  }
  const env = { ...process.env, DATABASE_URL: url, NODE_ENV: "production" }
  await buildStore({ env, log })
  await migrate({ env, log })
  await seedDemo({ env, log })
  log(`Starting the store on port ${port}`)
  store = await startStore({
    env,
    port,
    log,
    onOutput: (text) => process.stdout.write(text),
  })
  console.log("")
  log(`Admin:       ${store.url}/app`)
  // Written by the seed; a database seeded by an older demo has none.
  const credentialsFile = path.join(root, ".data", "demo-credentials.json")
  const credentials = fs.existsSync(credentialsFile) ? JSON.parse(fs.readFileSync(credentialsFile, "utf8")) : null
  log(`Login:       admin@payment-desk.test / supersecret`)
  if (credentials) {
    log(`Store:       ${credentials.store_name}`)
    log(`Customer:    ${credentials.customer.email} / ${credentials.customer.password} (POST /auth/customer/emailpass)`)
    log(`Store API:   ${store.url}/store, header x-publishable-api-key: ${credentials.publishable_key}`)
  }
  log(`Statement:   ${path.join(root, ".data", "demo-bank-statement.xml")} (upload it under Payment desk → Bank statements)`)
  log("Press Ctrl-C to stop the store and the database.")
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  await shutdown(1)
}
