// The browser tests' store: the root store built with `medusa build`, migrated,
// seeded with the demo data and served by `medusa start`, driven by Debian's
// Chromium through playwright-core.
import fs from "node:fs"
import net from "node:net"
import path from "node:path"
import { chromium, Browser, Page } from "playwright-core"

// eslint-disable-next-line @typescript-eslint/no-require-imports
const database = require("../../scripts/lib/database.cjs")
// eslint-disable-next-line @typescript-eslint/no-require-imports
const store = require("../../scripts/lib/store.cjs")

export const ADMIN = { email: "admin@payment-desk.test", password: "supersecret" }
export const ARTIFACTS = path.resolve(__dirname, "../../test-artifacts")

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0))
    })
  })
}

export type RunningStore = {
  url: string
  browser: Browser
  adminToken: () => Promise<string>
  /** A logged-in admin page, as the demo admin or another user given to `startBrowserStore`. */
  adminPage: (user?: { email: string; password: string }) => Promise<Page>
  /** A bearer token of a user given to `startBrowserStore`. */
  tokenOf: (user: { email: string; password: string }) => Promise<string>
  api: <T>(path: string, init?: RequestInit) => Promise<T>
  stop: () => Promise<void>
}

/**
 * Starts a seeded demo store on a fresh database and a browser; `stop()`
 * tears both down. `env` adds to the store's environment (e.g. plugin
 * options in PAYMENT_DESK_OPTIONS); `users` are further admin users.
 */
export async function startBrowserStore(
  name: string,
  options: { env?: Record<string, string>; users?: { email: string; password: string }[] } = {}
): Promise<RunningStore> {
  const log = (message: string) => process.stdout.write(`[browser] ${message}\n`)
  // Each phase's time on the log line, to see where a spec's setup goes.
  const timed = async <T>(phase: string, step: () => Promise<T>): Promise<T> => {
    const started = Date.now()
    const result = await step()
    log(`${name}: ${phase} ${((Date.now() - started) / 1000).toFixed(1)} s`)
    return result
  }
  const setupStarted = Date.now()
  const server = {
    host: process.env.DB_HOST || "localhost",
    port: Number(process.env.DB_PORT || 5432),
    user: process.env.DB_USERNAME || "postgres",
    password: process.env.DB_PASSWORD || "",
  }
  // PAYMENT_DESK_BROWSER_DB_SUFFIX keeps parallel checkouts of the project off each other's databases.
  const databaseName = `payment_desk_browser_${name}${process.env.PAYMENT_DESK_BROWSER_DB_SUFFIX ?? ""}`
  await timed("database", async () => {
    await database.dropDatabase(server, databaseName)
    await database.ensureDatabase(server, databaseName)
  })
  const env = {
    ...process.env,
    NODE_OPTIONS: "",
    NODE_ENV: "production",
    DATABASE_URL: database.serverUrl(server, databaseName),
    ...(options.env ?? {}),
  }
  await timed("build", () => store.buildStore({ env, log }))
  await timed("migrate", () => store.migrate({ env, log }))
  await timed("seed", () => store.seedDemo({ env, log: () => {} }))
  await timed("users", async () => {
    for (const user of options.users ?? []) {
      await store.run(path.join(store.root, "node_modules", ".bin", "medusa"), ["user", "-e", user.email, "-p", user.password], {
        cwd: store.root,
        env,
        log,
        quiet: true,
      })
    }
  })
  let output = ""
  const port = await freePort()
  const running = await timed<{ url: string; stop: () => Promise<void> }>("start", () => store.startStore({
    env,
    port,
    log,
    onOutput: (text: string) => {
      output = (output + text).slice(-20_000)
    },
  }))
  if (!fs.existsSync("/usr/bin/chromium")) {
    throw new Error("/usr/bin/chromium is missing: install Debian's chromium package (apt-get install -y chromium)")
  }
  const browser = await timed("chromium", () => chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS }))
  log(`${name}: setup ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`)
  fs.mkdirSync(ARTIFACTS, { recursive: true })

  const tokenOf = async (user: { email: string; password: string }) => {
    const response = await fetch(`${running.url}/auth/user/emailpass`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(user),
    })
    return ((await response.json()) as { token: string }).token
  }
  let token: string | null = null
  const adminToken = async () => {
    token = token ?? (await tokenOf(ADMIN))
    return token
  }

  return {
    url: running.url,
    browser,
    adminToken,
    tokenOf,
    api: async <T>(route: string, init: RequestInit = {}) => {
      const response = await fetch(`${running.url}${route}`, {
        ...init,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${await adminToken()}`,
          ...(init.headers ?? {}),
        },
      })
      if (!response.ok) {
        throw new Error(`${route} answered ${response.status}: ${await response.text()}`)
      }
      return (await response.json()) as T
    },
    adminPage: async (user = ADMIN) => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
      await page.goto(`${running.url}/app/login`)
      await page.fill("input[name=email]", user.email)
      await page.fill("input[name=password]", user.password)
      await page.click("button[type=submit]")
      await page.waitForURL(/\/app\/orders/, { timeout: 60_000 })
      return page
    },
    stop: async () => {
      await timed("stop", async () => {
        await browser.close().catch(() => {})
        await running.stop()
        await database.dropDatabase(server, databaseName).catch(() => {})
      })
      if (process.env.DEBUG_BROWSER_STORE) {
        log(output)
      }
    },
  }
}
