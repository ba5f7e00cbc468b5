// The browser tests' store: the root store built with `medusa build`, migrated,
// seeded with the demo data and served by `medusa start`, driven by Debian's
// Chromium through playwright-core.
//
// Building, migrating and seeding happen once per jest run (jest's globalSetup
// calls prepareBrowserStores): the build takes ~1.5 min cold, the migration and
// the seed are whole Medusa boots, and the specs all want the same demo data.
// Every spec then gets its own copy of the seeded database (CREATE DATABASE
// ... TEMPLATE, ~1 s) and its own `medusa start`, so what one spec does to its
// orders no other spec sees.
import fs from "node:fs"
import net from "node:net"
import path from "node:path"
import { Client } from "pg"
import { chromium, Browser, Cookie, Page } from "playwright-core"

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

/** A TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0))
    })
  })
}

type DatabaseServer = { host: string; port: number; user: string; password: string }

const log = (message: string) => process.stdout.write(`[browser] ${message}\n`)

/** Runs `step` and logs how long it took, so a run's log shows where the setup's time goes. */
async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now()
  const result = await step()
  log(`${label} ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return result
}

function databaseServer(): DatabaseServer {
  return {
    host: process.env.DB_HOST || "localhost",
    port: Number(process.env.DB_PORT || 5432),
    user: process.env.DB_USERNAME || "postgres",
    password: process.env.DB_PASSWORD || "",
  }
}

// PAYMENT_DESK_BROWSER_DB_SUFFIX keeps parallel checkouts of the project off each other's databases.
const databaseName = (name: string) => `payment_desk_browser_${name}${process.env.PAYMENT_DESK_BROWSER_DB_SUFFIX ?? ""}`

/** The migrated and seeded database every spec's database is copied from. */
const SEEDED = "seeded"

/** The environment of the store's Medusa commands against `databaseUrl`, plus a spec's own `extra`. */
function storeEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_OPTIONS: "", NODE_ENV: "production", DATABASE_URL: databaseUrl, ...extra }
}

/**
 * Builds the store and makes the seeded database the specs copy: jest's
 * globalSetup for the browser suite (see jest.config.js). The build works in
 * its own folder and the migration and seed run from the project root, so
 * the two go side by side. The seed uses the store's default options: a
 * spec's own `env` (plugin options) applies to its `medusa start` only; the
 * seed runs workflows directly, which no plugin option here changes.
 * The seeded orders' dates are relative to now (pay-by 48 h ahead, overdue
 * 72 h back), far from the few minutes the suite runs.
 */
export async function prepareBrowserStores(): Promise<void> {
  const server = databaseServer()
  const seeded = databaseName(SEEDED)
  await timed("template: database", async () => {
    await database.dropDatabase(server, seeded)
    await database.ensureDatabase(server, seeded)
  })
  const env = storeEnv(database.serverUrl(server, seeded))
  await timed("template: build + migrate + seed", () =>
    Promise.all([
      timed("template: build", () => store.buildStore({ env, log })),
      (async () => {
        // scripts/test.mjs has migrated the cluster's template1, which the new
        // database copies, as Medusa's test runner migrates an HTTP spec's
        // database (schema and links, no data migration scripts). Of
        // `medusa db:migrate` (three Medusa boots, ~40 s with nothing left to
        // migrate) only the scripts are left to do, and they take one boot:
        // the store then has the rows they make (the default shipping
        // profile) as the demo's has. Against another server (jest run by
        // hand) the suite migrates in full.
        if (process.env.PAYMENT_DESK_TEMPLATE1_MIGRATED === "true") {
          await timed("template: migration scripts", () => store.runMigrationScripts({ env, log, cwd: store.root }))
        } else {
          await timed("template: migrate", () => store.migrate({ env, log, cwd: store.root }))
        }
        await timed("template: seed", () => store.seedDemo({ env, log: () => {} }))
      })(),
    ])
  )
}

/** Drops the seeded database: jest's globalTeardown for the browser suite. */
export async function dropBrowserTemplate(): Promise<void> {
  await database.dropDatabase(databaseServer(), databaseName(SEEDED))
}

/**
 * Creates an admin user on a running store the way an admin invites one:
 * `POST /admin/invites`, a registration of the emailpass identity, and
 * `POST /admin/invites/accept` with the invite's token (no extra Medusa boot,
 * as `medusa user` would be). The plugin refuses invites for emails its
 * `permissions` option names, so such a user cannot be made this way.
 */
async function inviteAdmin(url: string, adminToken: string, user: { email: string; password: string }): Promise<void> {
  const post = async <T>(route: string, body: unknown, token: string): Promise<T> => {
    const response = await fetch(`${url}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    })
    if (!response.ok) {
      throw new Error(`Creating admin ${user.email}: ${route.split("?")[0]} answered ${response.status}: ${await response.text()}`)
    }
    return (await response.json()) as T
  }
  const { invite } = await post<{ invite: { token: string } }>("/admin/invites", { email: user.email }, adminToken)
  const register = await fetch(`${url}/auth/user/emailpass/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(user),
  })
  if (!register.ok) {
    throw new Error(`Registering ${user.email} answered ${register.status}: ${await register.text()}`)
  }
  const { token } = (await register.json()) as { token: string }
  await post(`/admin/invites/accept?token=${encodeURIComponent(invite.token)}`, {}, token)
}

export type RunningStore = {
  url: string
  browser: Browser
  adminToken: () => Promise<string>
  /**
   * A logged-in admin page in a context of its own, as the demo admin or
   * another user given to `startBrowserStore`. A user's first page logs in
   * through the form and is left on the order list; later ones start blank,
   * with that session's cookie. Closing the page closes its context.
   */
  adminPage: (user?: { email: string; password: string }) => Promise<Page>
  /** A bearer token of a user given to `startBrowserStore`. */
  tokenOf: (user: { email: string; password: string }) => Promise<string>
  api: <T>(path: string, init?: RequestInit) => Promise<T>
  /** Runs one SQL statement on the store's database (to set up what no route can, e.g. an order placed days ago). */
  sql: (text: string, params?: unknown[]) => Promise<void>
  stop: () => Promise<void>
}

/**
 * Starts a seeded demo store on its own copy of the seeded database (made by
 * prepareBrowserStores) and a browser; `stop()` tears both down. `env` adds
 * to the store's environment (e.g. plugin options in PAYMENT_DESK_OPTIONS);
 * `users` are further admin users.
 */
export async function startBrowserStore(
  name: string,
  options: { env?: Record<string, string>; users?: { email: string; password: string }[] } = {}
): Promise<RunningStore> {
  const phase = <T>(label: string, step: () => Promise<T>) => timed(`${name}: ${label}`, step)
  const setupStarted = Date.now()
  const server = databaseServer()
  const specDatabase = databaseName(name)
  const seeded = databaseName(SEEDED)
  await phase("database", async () => {
    if (!(await database.databaseExists(server, seeded))) {
      throw new Error(`No database ${seeded} to copy: the browser suite's jest globalSetup (prepareBrowserStores) makes it; run with TEST_TYPE=browser`)
    }
    await database.dropDatabase(server, specDatabase)
    await database.ensureDatabase(server, specDatabase, { template: seeded })
  })
  const env = storeEnv(database.serverUrl(server, specDatabase), options.env)
  // Up to date after the globalSetup's build: this only checks the sources' hash.
  await phase("build", () => store.buildStore({ env, log }))
  let output = ""
  const port = await freePort()
  const running = await phase<{ url: string; stop: () => Promise<void> }>("start", () =>
    store.startStore({
      env,
      port,
      log,
      onOutput: (text: string) => {
        output = (output + text).slice(-20_000)
      },
    })
  )

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
  await phase("users", async () => {
    for (const user of options.users ?? []) {
      await inviteAdmin(running.url, await adminToken(), user)
    }
  })
  if (!fs.existsSync("/usr/bin/chromium")) {
    // The caller never gets the store to stop: stop it here.
    await running.stop()
    throw new Error("/usr/bin/chromium is missing: install Debian's chromium package (apt-get install -y chromium)")
  }
  const browser = await phase("chromium", () => chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS }))
  log(`${name}: setup ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`)
  fs.mkdirSync(ARTIFACTS, { recursive: true })

  // Each user logs in through the admin's form once per store; later pages
  // start with that session's cookie. A login loads the admin twice (the login
  // page, then the order list it lands on) before a test opens its own page.
  const sessions = new Map<string, Cookie[]>()

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
    sql: async (text: string, params: unknown[] = []) => {
      const client = new Client({ connectionString: database.serverUrl(server, specDatabase) })
      await client.connect()
      try {
        await client.query(text, params)
      } finally {
        await client.end()
      }
    },
    adminPage: async (user = ADMIN) => {
      const session = sessions.get(user.email)
      const context = await browser.newContext({
        viewport: { width: 1440, height: 1000 },
        ...(session ? { storageState: { cookies: session, origins: [] } } : {}),
      })
      const page = await context.newPage()
      // The page owns its context, as one from browser.newPage() does.
      page.once("close", () => void context.close().catch(() => {}))
      if (session) {
        return page
      }
      await page.goto(`${running.url}/app/login`)
      await page.fill("input[name=email]", user.email)
      await page.fill("input[name=password]", user.password)
      await page.click("button[type=submit]")
      await page.waitForURL(/\/app\/orders/, { timeout: 60_000 })
      // The session cookie only: the server sets it httpOnly; the admin's own
      // cookies (the language in "lng") stay with the page that set them.
      const cookies = (await context.cookies()).filter((cookie) => cookie.httpOnly)
      if (!cookies.length) {
        throw new Error(`Logging in as ${user.email} set no session cookie`)
      }
      sessions.set(user.email, cookies)
      return page
    },
    stop: async () => {
      await phase("stop", async () => {
        await browser.close().catch(() => {})
        await running.stop()
        await database.dropDatabase(server, specDatabase).catch(() => {})
      })
      if (process.env.DEBUG_BROWSER_STORE) {
        log(output)
      }
    },
  }
}
