// `@medusajs/test-utils` as the specs import it (jest.config.js maps the name
// here): everything it exports, with `medusaIntegrationTestRunner` handing the
// suite an HTTP client whose failures are plain errors. An axios error holds
// its request and response, which point at each other; with several jest
// workers, a test failing with one cannot be sent back to the parent
// ("Converting circular structure to JSON"): the worker dies, jest retries the
// whole spec file and finally reports "Jest worker encountered 4 child process
// exceptions" instead of the failed test. The plain error names the request and
// the answer, and keeps `response` ({ status, data, headers }) for the specs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const real = require("@medusajs/test-utils/dist/index.js") as typeof import("@medusajs/test-utils/dist/index")

type AxiosLikeError = {
  isAxiosError?: boolean
  code?: string
  message?: string
  config?: { method?: string; url?: string }
  response?: { status: number; statusText?: string; data: unknown; headers?: Record<string, unknown> }
}

/** An axios error as a plain Error (no request, no socket), other errors as they are. */
export function plainHttpError(error: unknown): unknown {
  const axiosError = error as AxiosLikeError
  if (!axiosError?.isAxiosError) {
    return error
  }
  const { config = {}, response } = axiosError
  const answered = response ? `${response.status} ${JSON.stringify(response.data)?.slice(0, 2000)}` : axiosError.code ?? axiosError.message
  const plain = new Error(`${String(config.method ?? "get").toUpperCase()} ${config.url} answered ${answered}`) as Error & {
    code?: string
    response?: AxiosLikeError["response"]
  }
  plain.code = axiosError.code
  plain.response = response
    ? { status: response.status, statusText: response.statusText, data: response.data, headers: { ...(response.headers ?? {}) } }
    : undefined
  return plain
}

// --- Migrations the spec's database already has ---------------------------
// `npm test` migrates the cluster's template1 once (scripts/test.mjs), and a
// spec's database is a copy of it; Medusa's runner still runs every module's
// migrations and the link sync on it (~10 s of each spec's boot: every module's
// migrator loaded and asked). Here the runner's two steps are wrapped: a spec
// whose modules, plugins and feature flags (its "module set") were already seen
// to need nothing on a copy of this run's template1 skips both; any other spec
// runs them, and if they changed nothing (no migration or link recorded, no
// table made), its module set is written down as covered for the rest of the
// run (PAYMENT_DESK_TEMPLATE1_COVERED, a folder test.mjs empties). A spec that
// adds a module (the RBAC spec) therefore still migrates, every time.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const useDb = require("@medusajs/test-utils/dist/medusa-test-runner-utils/use-db.js") as {
  migrateDatabase: (appLoader: unknown) => Promise<void>
  syncLinks: (appLoader: unknown, directory: string, container: unknown, logger: unknown) => Promise<void>
}
const runMigrations = useDb.migrateDatabase
const runLinkSync = useDb.syncLinks

type Knexish = { raw: (sql: string) => Promise<{ rows: Record<string, string>[] }> }

/** The spec's module set: what decides which migrations and links its database needs. */
function moduleSet(): { key: string; file: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { configManager } = require("@medusajs/framework/config") as typeof import("@medusajs/framework/config")
  const config = configManager.config as { modules?: Record<string, unknown>; plugins?: unknown[]; featureFlags?: unknown }
  const modules = Object.entries(config.modules ?? {})
    .map(([key, module]) => [key, typeof module === "object" && module ? (module as { resolve?: unknown }).resolve ?? null : module])
    .sort(([a], [b]) => String(a).localeCompare(String(b)))
  const plugins = (config.plugins ?? []).map((plugin) => (typeof plugin === "string" ? plugin : (plugin as { resolve?: string }).resolve))
  const flags = Object.entries(process.env)
    .filter(([name]) => name.startsWith("MEDUSA_FF_"))
    .sort(([a], [b]) => a.localeCompare(b))
  const key = JSON.stringify({ modules, plugins, featureFlags: config.featureFlags ?? null, flags })
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const digest = require("node:crypto").createHash("sha256").update(key).digest("hex").slice(0, 32)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { key, file: require("node:path").join(process.env.PAYMENT_DESK_TEMPLATE1_COVERED ?? "", digest) }
}

/** What a migration or link sync leaves behind: recorded migrations, recorded links, tables. */
async function schemaMarks(): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { container } = require("@medusajs/framework") as { container: { resolve: (key: string) => Knexish } }
  const knex = container.resolve("__pg_connection__")
  const { rows } = await knex.raw(`select
      (select count(*) from pg_class where relnamespace = 'public'::regnamespace) as relations,
      (select count(*) from mikro_orm_migrations) as migrations,
      case when to_regclass('link_module_migrations') is null then -1
           else (select count(*) from link_module_migrations) end as links`)
  return JSON.stringify(rows[0])
}

let pending: { file: string; key: string; before: string } | undefined
let skipping = false

useDb.migrateDatabase = async (appLoader) => {
  skipping = false
  pending = undefined
  const covering = process.env.PAYMENT_DESK_TEMPLATE1_MIGRATED === "true" && process.env.PAYMENT_DESK_TEMPLATE1_COVERED
  if (!covering) {
    return runMigrations(appLoader)
  }
  const set = moduleSet()
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("node:fs") as typeof import("node:fs")
  if (fs.existsSync(set.file) && fs.readFileSync(set.file, "utf8") === set.key) {
    skipping = true
    return
  }
  pending = { ...set, before: await schemaMarks() }
  return runMigrations(appLoader)
}

useDb.syncLinks = async (appLoader, directory, container, logger) => {
  if (skipping) {
    skipping = false
    // What the sync does besides the database: the plugins' link definitions.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ContainerRegistrationKeys, getResolvedPlugins } = require("@medusajs/framework/utils")
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LinkLoader } = require("@medusajs/framework")
    const configModule = (container as { resolve: (key: string) => unknown }).resolve(ContainerRegistrationKeys.CONFIG_MODULE)
    const plugins: { resolve: string }[] = await getResolvedPlugins(directory, configModule, true)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await new LinkLoader(plugins.map((plugin) => require("node:path").join(plugin.resolve, "links")), logger).load()
    return
  }
  await runLinkSync(appLoader, directory, container, logger)
  const seen = pending
  pending = undefined
  if (seen && (await schemaMarks()) === seen.before) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("node:fs") as typeof import("node:fs")
    fs.mkdirSync(require("node:path").dirname(seen.file), { recursive: true })
    fs.writeFileSync(seen.file, seen.key)
  }
}

type RunnerOptions = Parameters<typeof real.medusaIntegrationTestRunner>[0]

/** Medusa's runner; its `api` client rejects with plain errors (see above). */
export function medusaIntegrationTestRunner(options: RunnerOptions) {
  return real.medusaIntegrationTestRunner({
    ...options,
    testSuite: (suite) => {
      beforeAll(() => {
        const api = suite.api as { interceptors: { response: { use: (ok: (r: unknown) => unknown, fail: (e: unknown) => unknown) => void } } }
        api.interceptors.response.use(
          (response) => response,
          (error) => Promise.reject(plainHttpError(error))
        )
      })
      return options.testSuite(suite)
    },
  })
}

module.exports = { ...real, medusaIntegrationTestRunner, plainHttpError }
