// `npm run test:package`: the plugin as a store installs it. Builds and packs
// the plugin, writes a fresh Medusa store in a temporary folder (package.json,
// tsconfig and medusa-config like Medusa's starter, the config being the
// README's install snippet as printed), installs the tarball, migrates a fresh
// database, runs `medusa build` and `medusa start`, and checks over HTTP that
// the manual providers are listed and that the admin bundle has the widget and
// pages. Then, against that production store over HTTP: sets up a sellable
// store through the admin API, places bank-transfer orders through the store
// API, and runs the plugin's routes on them (instructions, record payment,
// refund + payout, close). A consumer script in the store imports
// "medusa-payment-desk/workflows" and runs `recordPaymentWorkflow` through
// `medusa exec`. Ends with one line "N passed, N failed" and the time taken.
import { spawn, spawnSync } from "node:child_process"
import fs from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)
const { resolveDatabase } = require("./lib/database.cjs")
const { run } = require("./lib/store.cjs")
const { packPlugin } = require("./lib/pack.cjs")
const pg = require("pg")

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..")
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
const medusaVersion = pkg.devDependencies["@medusajs/medusa"]
const keep = process.argv.includes("--keep")
const startedAt = Date.now()
// Each line says when, from the start, its phase began (where the time goes).
const log = (message) => console.log(`[test:package] +${Math.round((Date.now() - startedAt) / 1000)} s ${message}`)

const results = []
function check(name, ok, detail = "") {
  results.push({ name, ok })
  console.log(`${ok ? "✓" : "✕"} ${name}${ok || !detail ? "" : `\n    ${detail}`}`)
}

/** The README's medusa-config snippet, with its `// ...` filled by the store's own projectConfig. */
function readmeConfig() {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
  const section = readme.slice(readme.indexOf("## Install into a store"))
  const snippet = section.match(/```ts\n([\s\S]*?)```/)?.[1]
  if (!snippet || !snippet.includes("  // ...\n")) {
    throw new Error('README.md: no ```ts medusa-config snippet with a "// ..." line under "## Install into a store"')
  }
  const projectConfig = `  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS!,
      adminCors: process.env.ADMIN_CORS!,
      authCors: process.env.AUTH_CORS!,
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
`
  return `import { loadEnv, defineConfig } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

${snippet.replace("  // ...\n", projectConfig)}`
}

function writeStore(dir, tarball) {
  const medusa = Object.fromEntries(
    ["admin-sdk", "cli", "framework", "medusa"].map((name) => [`@medusajs/${name}`, medusaVersion])
  )
  const dev = pkg.devDependencies
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify(
      {
        name: "payment-desk-package-store",
        private: true,
        scripts: { build: "medusa build", start: "medusa start", dev: "medusa develop" },
        dependencies: { ...medusa, "medusa-payment-desk": `file:${tarball}` },
        devDependencies: Object.fromEntries(
          ["@swc/core", "@types/node", "@types/react", "@types/react-dom", "prop-types", "react", "react-dom", "ts-node", "typescript", "vite"].map(
            (name) => [name, dev[name]]
          )
        ),
        engines: { node: ">=20" },
      },
      null,
      2
    )
  )
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2021",
          esModuleInterop: true,
          module: "Node16",
          moduleResolution: "Node16",
          emitDecoratorMetadata: true,
          experimentalDecorators: true,
          skipLibCheck: true,
          skipDefaultLibCheck: true,
          declaration: false,
          sourceMap: false,
          inlineSourceMap: true,
          outDir: "./.medusa/server",
          rootDir: "./",
          jsx: "react-jsx",
          forceConsistentCasingInFileNames: true,
          resolveJsonModule: true,
          checkJs: false,
          strictNullChecks: true,
        },
        "ts-node": { swc: true },
        include: ["**/*", ".medusa/types/*"],
        exclude: ["node_modules", ".medusa/server", ".medusa/admin", ".cache"],
      },
      null,
      2
    )
  )
  fs.writeFileSync(path.join(dir, "medusa-config.ts"), readmeConfig())
  fs.mkdirSync(path.join(dir, "src"), { recursive: true })
}

/** One JSON request: `{ status, body }` (the body parsed when it is JSON, else the text). */
async function request(base, method, route, { token, pk, body, headers = {} } = {}) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(pk ? { "x-publishable-api-key": pk } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await response.text()
  let parsed = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  return { status: response.status, body: parsed }
}

/** Like `request`, but throws unless the answer is 2xx. */
async function call(base, method, route, options) {
  const answer = await request(base, method, route, options)
  if (answer.status >= 300) {
    throw new Error(`${method} ${route} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 600)}`)
  }
  return answer.body
}

const show = (value) => JSON.stringify(value)?.slice(0, 600)
let idempotencyCounter = 0
const idempotencyKey = () => ({ "idempotency-key": `package-test-${process.pid}-${++idempotencyCounter}` })

/** The admin setup of MEDUSA-NOTES: region (EUR, manual methods), publishable key, stock location, shipping, one product. */
async function setUpStore(base, token) {
  const admin = (method, route, body) => call(base, method, route, { token, body })
  const { sales_channels } = await admin("GET", "/admin/sales-channels?limit=1&order=created_at")
  const salesChannel = sales_channels[0]
  const { region } = await admin("POST", "/admin/regions", {
    name: "Europe",
    currency_code: "eur",
    countries: ["de"],
    payment_providers: ["pp_manual_bank-transfer", "pp_manual_cash-on-delivery"],
  })
  const { api_key } = await admin("POST", "/admin/api-keys", { title: "Package test", type: "publishable" })
  await admin("POST", `/admin/api-keys/${api_key.id}/sales-channels`, { add: [salesChannel.id] })
  const { stock_location } = await admin("POST", "/admin/stock-locations", {
    name: "Warehouse",
    address: { address_1: "Hauptstr. 1", city: "Berlin", country_code: "de" },
  })
  await admin("POST", `/admin/stock-locations/${stock_location.id}/sales-channels`, { add: [salesChannel.id] })
  await admin("POST", `/admin/stock-locations/${stock_location.id}/fulfillment-providers`, { add: ["manual_manual"] })
  const withSet = await admin("POST", `/admin/stock-locations/${stock_location.id}/fulfillment-sets?fields=*fulfillment_sets`, {
    name: "Shipping from Berlin",
    type: "shipping",
  })
  const fulfillmentSet = withSet.stock_location.fulfillment_sets[0]
  const { fulfillment_set } = await admin("POST", `/admin/fulfillment-sets/${fulfillmentSet.id}/service-zones`, {
    name: "Germany",
    geo_zones: [{ type: "country", country_code: "de" }],
  })
  const serviceZone = fulfillment_set.service_zones[0]
  const { shipping_profiles } = await admin("GET", "/admin/shipping-profiles?type=default")
  const shippingProfile = shipping_profiles[0] ?? (await admin("POST", "/admin/shipping-profiles", { name: "Default", type: "default" })).shipping_profile
  const { shipping_option } = await admin("POST", "/admin/shipping-options", {
    name: "Standard",
    service_zone_id: serviceZone.id,
    shipping_profile_id: shippingProfile.id,
    provider_id: "manual_manual",
    price_type: "flat",
    type: { label: "Standard", description: "Standard shipping", code: "standard" },
    prices: [{ currency_code: "eur", amount: 10 }],
    rules: [
      { attribute: "enabled_in_store", value: "true", operator: "eq" },
      { attribute: "is_return", value: "false", operator: "eq" },
    ],
  })
  const { product } = await admin("POST", "/admin/products", {
    title: "Package test shirt",
    status: "published",
    shipping_profile_id: shippingProfile.id,
    sales_channels: [{ id: salesChannel.id }],
    options: [{ title: "Size", values: ["One"] }],
    variants: [{ title: "One", manage_inventory: false, options: { Size: "One" }, prices: [{ currency_code: "eur", amount: 100 }] }],
  })
  return {
    region,
    pk: api_key.token,
    salesChannel,
    shippingOption: shipping_option,
    variant: product.variants[0],
  }
}

/** Registers a customer and logs them in: a token bound to the customer. */
async function customerToken(base, pk, email) {
  const password = "supersecret"
  const { token: registration } = await call(base, "POST", "/auth/customer/emailpass/register", { pk, body: { email, password } })
  await call(base, "POST", "/store/customers", { pk, token: registration, body: { email, first_name: "Erika", last_name: "Mustermann" } })
  const { token } = await call(base, "POST", "/auth/customer/emailpass", { pk, body: { email, password } })
  return token
}

/** A bank-transfer checkout through the store API: the order. */
async function placeOrder(base, shop, token, email) {
  const store = (method, route, body) => call(base, method, route, { pk: shop.pk, token, body })
  const address = { first_name: "Erika", last_name: "Mustermann", address_1: "Hauptstr. 1", city: "Berlin", postal_code: "10115", country_code: "de" }
  const { cart } = await store("POST", "/store/carts", {
    region_id: shop.region.id,
    sales_channel_id: shop.salesChannel.id,
    email,
    shipping_address: address,
    billing_address: address,
    items: [{ variant_id: shop.variant.id, quantity: 1 }],
  })
  await store("POST", `/store/carts/${cart.id}/shipping-methods`, { option_id: shop.shippingOption.id })
  const { payment_collection } = await store("POST", "/store/payment-collections", { cart_id: cart.id })
  await store("POST", `/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_manual_bank-transfer" })
  const completed = await store("POST", `/store/carts/${cart.id}/complete`)
  if (completed.type !== "order") throw new Error(`cart completion gave no order: ${show(completed)}`)
  return completed.order
}

/** The consumer's own script: imports the plugin's workflows as a store would and records a payment. */
const CONSUMER_SCRIPT = `import type { ExecArgs } from "@medusajs/framework/types"
import { recordPaymentWorkflow, PaymentDeskEvents } from "medusa-payment-desk/workflows"

export default async function paymentDeskConsumer({ container, args }: ExecArgs) {
  const [orderId, amount] = args
  const { result } = await recordPaymentWorkflow(container).run({
    input: {
      order_id: orderId,
      amount: Number(amount),
      method: "bank-transfer",
      reference: "CONSUMER-1",
      actor: { type: "system" },
    },
  })
  const event: string = PaymentDeskEvents.PAYMENT_RECORDED
  console.log(
    "PAYMENT_DESK_CONSUMER " +
      JSON.stringify({ event, outstanding: result.summary.outstanding_amount, audit_entry_id: result.audit_entry.id })
  )
}
`

async function startStore(dir, env, port) {
  const child = spawn(path.join(dir, "node_modules", ".bin", "medusa"), ["start"], {
    cwd: path.join(dir, ".medusa", "server"),
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  })
  let output = ""
  child.stdout.on("data", (chunk) => (output += chunk))
  child.stderr.on("data", (chunk) => (output += chunk))
  const url = `http://localhost:${port}`
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`medusa start exited with ${child.exitCode}\n${output.slice(-4000)}`)
    const up = await fetch(`${url}/health`).then((r) => r.ok, () => false)
    if (up) break
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once("exit", resolve)
      process.kill(-child.pid, "SIGTERM")
      setTimeout(() => child.exitCode === null && process.kill(-child.pid, "SIGKILL"), 10_000).unref()
    })
  return { url, stop, output: () => output }
}

/**
 * Starts the store's node_modules as hard links to the repository's (`cp -al`,
 * ~5 s), when both are on one filesystem, as a merchant's store has Medusa
 * installed before it adds the plugin: `npm install` then keeps what the
 * store's package.json also needs at the versions found, removes what it does
 * not (the repository's test tools, e.g. jest and playwright-core; anything
 * the plugin uses but does not declare, so a missing dependency still fails
 * here), and adds the tarball and what it needs. `npm ls` in such a store
 * finds nothing extraneous, invalid or missing. Extracting ~1,000 packages
 * afresh took 117–129 s of the test's 262–340 s; now npm install takes ~6 s
 * and the test ~90 s on a quiet machine. npm replaces a package it changes by
 * a new folder, so the repository's files are never written through the
 * links. Returns whether it seeded; otherwise npm installs everything afresh.
 */
function seedNodeModules(dir) {
  const target = path.join(dir, "node_modules")
  const copy = spawnSync("cp", ["-al", path.join(root, "node_modules"), target], { stdio: "ignore" })
  if (copy.status !== 0) {
    fs.rmSync(target, { recursive: true, force: true })
    return false
  }
  // The repository's hidden lockfile describes the repository's tree, not this store's.
  fs.rmSync(path.join(target, ".package-lock.json"), { force: true })
  return true
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "payment-desk-store-"))
const database = await resolveDatabase({ dataDir: path.join(root, ".cache", "test-postgres"), log })
const dbName = `payment_desk_package_${process.pid}`
const server = { host: database.host, port: database.port, user: database.user, password: database.password }
const admin = new pg.Client({ ...server, database: "postgres" })
let store = null
try {
  const tarball = await packPlugin({ log })
  log(`Writing a store in ${dir}`)
  writeStore(dir, tarball)

  const seeded = seedNodeModules(dir)
  log(`npm install (Medusa ${medusaVersion} and the tarball${seeded ? ", node_modules started as links to the repository's" : ", ~2 min"})`)
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, env: process.env, quiet: true })
  check("the tarball installs next to Medusa without peer conflicts", fs.existsSync(path.join(dir, "node_modules", "medusa-payment-desk", ".medusa", "server")))

  await admin.connect()
  await admin.query(`drop database if exists ${dbName}`)
  // template0: the packed plugin's migrations run on an empty database (the test
  // run's template1 is migrated already).
  await admin.query(`create database ${dbName} template template0`)
  const auth = database.password ? `${database.user}:${encodeURIComponent(database.password)}` : database.user
  // A port the OS hands out: other suites run stores at the same time.
  const port = await new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
  const backendUrl = `http://localhost:${port}`
  const env = {
    ...process.env,
    DATABASE_URL: `postgres://${auth}@${database.host}:${database.port}/${dbName}`,
    STORE_CORS: "http://localhost:8000",
    ADMIN_CORS: backendUrl,
    AUTH_CORS: backendUrl,
    MEDUSA_BACKEND_URL: backendUrl,
    NODE_ENV: "production",
  }
  delete env.REDIS_URL

  log("medusa db:migrate on a fresh database")
  await run(path.join(dir, "node_modules", ".bin", "medusa"), ["db:migrate"], { cwd: dir, env, quiet: true })
  const tables = await new pg.Client({ ...server, database: dbName })
  await tables.connect()
  const { rows } = await tables.query("select count(*)::int as n from information_schema.tables where table_name like 'payment_desk_%'")
  await tables.end()
  check("db:migrate creates the plugin's tables", rows[0].n > 0, `${rows[0].n} payment_desk_* tables`)

  // A consumer's own code, in the store before it is built: `medusa build` type-checks it too.
  fs.mkdirSync(path.join(dir, "src", "scripts"), { recursive: true })
  fs.writeFileSync(path.join(dir, "src", "scripts", "payment-desk-consumer.ts"), CONSUMER_SCRIPT)

  log("medusa build")
  await run(path.join(dir, "node_modules", ".bin", "medusa"), ["build"], { cwd: dir, env, quiet: true })
  // The store's own type check of the consumer script, alongside the HTTP checks.
  const typecheck = run(path.join(dir, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", "tsconfig.json"], { cwd: dir, env, quiet: true }).then(
    () => ({ ok: true }),
    (error) => ({ ok: false, detail: String(error.message).slice(0, 2000) })
  )
  const assets = path.join(dir, ".medusa", "server", "public", "admin", "assets")
  const bundle = fs.existsSync(assets)
    ? fs.readdirSync(assets).filter((f) => f.endsWith(".js")).map((f) => fs.readFileSync(path.join(assets, f), "utf8")).join("\n")
    : ""
  check("the admin bundle has the plugin's order widget", bundle.includes("Payment desk activity") && bundle.includes("Payments received"))
  check(
    "the admin bundle has the Payment desk pages (src/admin/routes/payment-desk/**: awaiting payment, refunds, closed orders, cancellation requests, audit, settings)",
    ["Awaiting payment", "Pending, failed or needing attention", "Customers who close the most", "Cancellation requests", "Export CSV", "Scheduled jobs"].every((text) =>
      bundle.includes(text)
    )
  )
  check(
    "the admin bundle has the plugin's German and Chinese strings (src/admin/i18n)",
    bundle.includes("Zahlungseingänge") && bundle.includes("收款情况")
  )
  check(
    "the widget's SDK calls the store's backend URL (__BACKEND_URL__ substituted)",
    !bundle.includes("__BACKEND_URL__") && bundle.includes(JSON.stringify(backendUrl)),
    "the bundle still names __BACKEND_URL__ or lacks the backend URL"
  )

  log("medusa user (admin and cashier) + medusa start (production)")
  // The README's snippet gives `record_payment` to cashier@example.com only.
  for (const email of ["admin@example.com", "cashier@example.com"]) {
    await run(path.join(dir, "node_modules", ".bin", "medusa"), ["user", "-e", email, "-p", "supersecret"], { cwd: dir, env, quiet: true })
  }
  store = await startStore(dir, env, port)
  const base = store.url
  const adminLogin = await request(base, "POST", "/auth/user/emailpass", { body: { email: "admin@example.com", password: "supersecret" } })
  check("POST /auth/user/emailpass logs the admin in (user made by `medusa user`)", adminLogin.status === 200 && !!adminLogin.body.token, show(adminLogin))
  const token = adminLogin.body.token
  const cashier = (await call(base, "POST", "/auth/user/emailpass", { body: { email: "cashier@example.com", password: "supersecret" } })).token
  const providers = await fetch(`${store.url}/admin/payments/payment-providers`, {
    headers: { authorization: `Bearer ${token}` },
  }).then((r) => r.json())
  const ids = (providers.payment_providers ?? []).map((p) => p.id)
  check(
    "GET /admin/payments/payment-providers lists the manual providers",
    ids.includes("pp_manual_bank-transfer") && ids.includes("pp_manual_cash-on-delivery"),
    `got ${JSON.stringify(providers).slice(0, 400)}`
  )
  // Medusa's default notification provider serves the feed only, as in this store.
  // (JSON log lines in production escape the quotes.)
  const warnings = store.output().match(/no notification provider for the \\?"email\\?" channel/g)?.length ?? 0
  check("boot warns once that no email provider is registered", warnings === 1, `${warnings} warnings in:\n${store.output().slice(0, 2000)}`)
  const admin_ = await fetch(`${store.url}/app`).then((r) => r.status)
  check("the built admin is served at /app", admin_ === 200, `status ${admin_}`)

  log("admin API: region, publishable key, stock location, shipping option, product")
  const shop = await setUpStore(base, token)
  check(
    "admin API sets up a sellable store (region EUR with pp_manual_bank-transfer, key, shipping, product)",
    !!shop.pk?.startsWith("pk_") && !!shop.variant?.id && !!shop.shippingOption?.id
  )

  log("store API: bank-transfer checkout")
  const email = `erika-${process.pid}@example.com`
  const customer = await customerToken(base, shop.pk, email)
  const order = await placeOrder(base, shop, customer, email)
  check("store API: a bank-transfer checkout completes into an order of 110 EUR", order?.id?.startsWith("order_") && order.total === 110, show(order))

  const instructions = await request(base, "GET", `/store/payment-desk/orders/${order.id}/instructions`, { pk: shop.pk, token: customer })
  check(
    "GET /store/payment-desk/orders/:id/instructions → 200 with the amount due",
    instructions.status === 200 && instructions.body.amount_due === 110 && instructions.body.method === "bank-transfer" &&
      instructions.body.instructions?.includes("Transfer 110.00 EUR") && instructions.body.account?.iban === "DE89370400440532013000",
    show(instructions)
  )

  const orderPath = `/admin/payment-desk/orders/${order.id}`
  const receipt = { amount: instructions.body.amount_due, method: "bank-transfer", reference: "RF-PACKAGE" }
  const refused = await request(base, "POST", `${orderPath}/payments`, { token, body: receipt, headers: idempotencyKey() })
  check("the README's permissions hold: admin@example.com may not record payments (403)", refused.status === 403, show(refused))
  const paid = await request(base, "POST", `${orderPath}/payments`, { token: cashier, body: receipt, headers: idempotencyKey() })
  check(
    "POST /admin/payment-desk/orders/:id/payments (whole amount, Idempotency-Key) → 200, outstanding 0",
    paid.status === 200 && paid.body.summary?.outstanding_amount === 0 && paid.body.summary?.paid_total === 110,
    show(paid)
  )

  const refund = await request(base, "POST", `${orderPath}/refunds`, { token, body: { amount: 30 }, headers: idempotencyKey() })
  check(
    "POST /admin/payment-desk/orders/:id/refunds {amount: 30} → awaiting_payout",
    refund.status === 200 && refund.body.refund_request?.status === "awaiting_payout",
    show(refund)
  )
  const payout = await request(base, "POST", `/admin/payment-desk/refunds/${refund.body.refund_request?.id}/payout`, {
    token,
    body: { reference: "PAYOUT-1" },
    headers: idempotencyKey(),
  })
  check(
    "POST /admin/payment-desk/refunds/:id/payout → succeeded",
    payout.status === 200 && payout.body.refund_request?.status === "succeeded",
    show(payout)
  )
  const medusaOrder = await request(base, "GET", `/admin/orders/${order.id}?fields=summary,total`, { token })
  check(
    "Medusa's own order after the refund: total 80, summary.pending_difference 0",
    medusaOrder.status === 200 && medusaOrder.body.order?.total === 80 && medusaOrder.body.order?.summary?.pending_difference === 0,
    show(medusaOrder)
  )

  const second = await placeOrder(base, shop, customer, email)
  const closed = await request(base, "POST", `/admin/payment-desk/orders/${second.id}/close`, {
    token,
    body: { reason: "out_of_stock" },
    headers: idempotencyKey(),
  })
  check(
    "POST /admin/payment-desk/orders/:id/close {reason: out_of_stock} on a second order → 200 with an order_closure",
    closed.status === 200 && closed.body.order_closure?.order_id === second.id && closed.body.order_closure?.reason === "out_of_stock",
    show(closed)
  )

  log("medusa exec of a consumer script that imports medusa-payment-desk/workflows")
  const third = await placeOrder(base, shop, customer, email)
  const before = await call(base, "GET", `/admin/payment-desk/orders/${third.id}`, { token })
  let consumerOutput = ""
  try {
    consumerOutput = await run(
      path.join(dir, "node_modules", ".bin", "medusa"),
      ["exec", "./src/scripts/payment-desk-consumer.ts", third.id, String(before.outstanding_amount)],
      { cwd: dir, env, quiet: true }
    )
  } catch (error) {
    consumerOutput = String(error.message)
  }
  const marker = consumerOutput.match(/PAYMENT_DESK_CONSUMER (\{.*\})/)?.[1]
  const consumed = marker ? JSON.parse(marker) : null
  const after = await call(base, "GET", `/admin/payment-desk/orders/${third.id}`, { token })
  check(
    "`medusa exec` of a script using recordPaymentWorkflow + PaymentDeskEvents from medusa-payment-desk/workflows pays a third order",
    before.outstanding_amount === 110 && consumed?.event === "payment_desk.payment_recorded" && consumed?.outstanding === 0 &&
      after.outstanding_amount === 0 && after.paid_total === 110,
    `before ${show(before?.outstanding_amount)}, after ${show(after?.outstanding_amount)}, script output:\n${consumerOutput.slice(-2000)}`
  )
  const typechecked = await typecheck
  check("the store's `tsc --noEmit` accepts the consumer script (types of medusa-payment-desk/workflows)", typechecked.ok, typechecked.detail)
} catch (error) {
  check("the package run completes", false, String(error?.stack ?? error).slice(0, 4000))
} finally {
  await store?.stop()
  await admin.query(`drop database if exists ${dbName}`).catch(() => {})
  await admin.end().catch(() => {})
  await database.stop()
  if (!keep) fs.rmSync(dir, { recursive: true, force: true })
  else log(`Kept ${dir}`)
}

const failed = results.filter((r) => !r.ok).length
log(`took ${Math.round((Date.now() - startedAt) / 1000)} s`)
console.log(`${results.length - failed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
