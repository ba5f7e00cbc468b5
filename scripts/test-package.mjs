// `npm run test:package`: the plugin as a store installs it. Builds and packs
// the plugin, writes a fresh Medusa store in a temporary folder (package.json,
// tsconfig and medusa-config like Medusa's starter, the config being the
// README's install snippet as printed), installs the tarball, migrates a fresh
// database, runs `medusa build` and `medusa start`, and checks over HTTP that
// the manual providers are listed and that the admin bundle has the widget.
// Ends with one line "N passed, N failed".
import { execFileSync, spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)
const { resolveDatabase } = require("./lib/database.cjs")
const { run } = require("./lib/store.cjs")
const pg = require("pg")

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..")
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
const medusaVersion = pkg.devDependencies["@medusajs/medusa"]
const keep = process.argv.includes("--keep")
const log = (message) => console.log(`[test:package] ${message}`)

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

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "payment-desk-store-"))
const database = await resolveDatabase({ dataDir: path.join(root, ".cache", "test-postgres"), log })
const dbName = `payment_desk_package_${process.pid}`
const server = { host: database.host, port: database.port, user: database.user, password: database.password }
const admin = new pg.Client({ ...server, database: "postgres" })
let store = null
try {
  log(`Building and packing the plugin`)
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: "pipe" })
  const [{ filename }] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8" }))
  const tarball = path.join(dir, filename)
  log(`Writing a store in ${dir}`)
  writeStore(dir, tarball)

  log(`npm install (Medusa ${medusaVersion} and the tarball, ~2 min)`)
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, env: process.env, quiet: true })
  check("the tarball installs next to Medusa without peer conflicts", fs.existsSync(path.join(dir, "node_modules", "medusa-payment-desk", ".medusa", "server")))

  await admin.connect()
  await admin.query(`drop database if exists ${dbName}`)
  await admin.query(`create database ${dbName}`)
  const auth = database.password ? `${database.user}:${encodeURIComponent(database.password)}` : database.user
  const port = 9000 + (process.pid % 500)
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

  log("medusa build")
  await run(path.join(dir, "node_modules", ".bin", "medusa"), ["build"], { cwd: dir, env, quiet: true })
  const assets = path.join(dir, ".medusa", "server", "public", "admin", "assets")
  const bundle = fs.existsSync(assets)
    ? fs.readdirSync(assets).filter((f) => f.endsWith(".js")).map((f) => fs.readFileSync(path.join(assets, f), "utf8")).join("\n")
    : ""
  check("the admin bundle has the plugin's order widget", bundle.includes("Payment desk activity"))
  check(
    "the widget's SDK calls the store's backend URL (__BACKEND_URL__ substituted)",
    !bundle.includes("__BACKEND_URL__") && bundle.includes(JSON.stringify(backendUrl)),
    "the bundle still names __BACKEND_URL__ or lacks the backend URL"
  )

  log("medusa user + medusa start (production)")
  await run(path.join(dir, "node_modules", ".bin", "medusa"), ["user", "-e", "admin@package.test", "-p", "supersecret"], { cwd: dir, env, quiet: true })
  store = await startStore(dir, env, port)
  const login = await fetch(`${store.url}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@package.test", password: "supersecret" }),
  }).then((r) => r.json())
  const providers = await fetch(`${store.url}/admin/payments/payment-providers`, {
    headers: { authorization: `Bearer ${login.token}` },
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
console.log(`${results.length - failed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
