// Builds the root store (medusa-config.ts + src/) into its own folder and runs
// it with `medusa start`: the demo and the browser tests share this. The build
// happens in .cache/store so that `medusa build` never clobbers the plugin's
// own `.medusa/server` (written by `medusa plugin:build`), nor the reverse.
const { spawn } = require("node:child_process")
const crypto = require("node:crypto")
const fs = require("node:fs")
const path = require("node:path")

const root = path.resolve(__dirname, "..", "..")
const staging = path.join(root, ".cache", "store")
const builtStore = path.join(staging, ".medusa", "server")
const medusaBin = path.join(root, "node_modules", ".bin", "medusa")

/** Runs a command, streaming its output through `log`; rejects on a non-zero exit. */
function run(command, args, { cwd, env, log = () => {}, quiet = false }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    const collect = (chunk) => {
      output += chunk
      if (!quiet) {
        for (const line of String(chunk).split("\n")) {
          if (line.trim()) log(`  ${line}`)
        }
      }
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    child.on("error", reject)
    child.on("exit", (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${path.basename(command)} ${args.join(" ")} exited with ${code}\n${output.slice(-4000)}`))
    )
  })
}

/** A hash of `src/` (and the other folders named) and the named root files: what a build's output depends on. */
function hashSources(files = ["medusa-config.ts", "package-lock.json", "tsconfig.json"], dirs = ["src"]) {
  const hash = crypto.createHash("sha256")
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        walk(full)
      } else {
        hash.update(path.relative(root, full))
        hash.update(fs.readFileSync(full))
      }
    }
  }
  for (const dir of dirs) {
    walk(path.join(root, dir))
  }
  for (const file of files) {
    hash.update(fs.readFileSync(path.join(root, file)))
  }
  return hash.digest("hex")
}

/** `medusa build` of the root store into .cache/store/.medusa/server, skipped when nothing changed. */
async function buildStore({ env, log }) {
  const marker = path.join(staging, ".source-hash")
  const hash = hashSources()
  if (
    fs.existsSync(marker) &&
    fs.readFileSync(marker, "utf8") === hash &&
    fs.existsSync(path.join(builtStore, "public", "admin", "index.html"))
  ) {
    log("Store build is up to date")
    return
  }
  log("Building the store and its admin (medusa build, 1–3 min)")
  fs.rmSync(staging, { recursive: true, force: true })
  fs.mkdirSync(staging, { recursive: true })
  fs.cpSync(path.join(root, "src"), path.join(staging, "src"), { recursive: true })
  for (const file of ["medusa-config.ts", "package.json", "package-lock.json"]) {
    fs.copyFileSync(path.join(root, file), path.join(staging, file))
  }
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"))
  tsconfig.include = ["medusa-config.ts", "src/**/*"]
  fs.writeFileSync(path.join(staging, "tsconfig.json"), JSON.stringify(tsconfig, null, 2))
  await run(medusaBin, ["build"], { cwd: staging, env, log, quiet: true })
  fs.writeFileSync(marker, hash)
  log("Store built")
}

/**
 * `medusa db:migrate` against the database in `env.DATABASE_URL`, from the
 * built store unless `cwd` says otherwise: the project root has the same
 * config and modules (loaded from `src/`), so a migration from there need not
 * wait for the build.
 */
async function migrate({ env, log, cwd = builtStore }) {
  log("Running migrations (medusa db:migrate)")
  await run(medusaBin, ["db:migrate"], { cwd, env, log, quiet: true })
}

/**
 * `medusa db:migrate:scripts`: only Medusa's data migration scripts (e.g. the
 * default shipping profile), for a database whose schema is migrated already.
 * One Medusa boot, where `db:migrate` takes three.
 */
async function runMigrationScripts({ env, log, cwd = builtStore }) {
  log("Running migration scripts (medusa db:migrate:scripts)")
  await run(medusaBin, ["db:migrate:scripts"], { cwd, env, log, quiet: true })
}

/** Seeds the demo store and orders through Medusa's workflows. */
async function seedDemo({ env, log }) {
  log("Seeding the demo store (medusa exec ./scripts/seed-demo.ts)")
  await run(medusaBin, ["exec", "./scripts/seed-demo.ts"], { cwd: root, env, log })
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`medusa start exited with ${child.exitCode}`)
    }
    try {
      const response = await fetch(`${url}/health`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`The store did not answer ${url}/health within ${timeoutMs / 1000} s`)
}

/** `medusa start` of the built store; resolves once /health answers. */
async function startStore({ env, port, log, onOutput }) {
  const child = spawnServer(medusaBin, ["start"], {
    cwd: builtStore,
    env: { ...env, PORT: String(port), PAYMENT_DESK_INSECURE_COOKIES: "true" },
    onOutput,
  })
  const url = `http://localhost:${port}`
  await waitForHealth(url, child, 120_000)
  log(`Store listens on ${url}`)
  return {
    url,
    /** The server's process id (`medusa start` serves in this process). */
    pid: child.pid,
    stop: () => stopProcessGroup(child, 10_000),
  }
}

/** Spawns a server as the leader of its own process group (see stopProcessGroup), its output to `onOutput`. */
function spawnServer(command, args, { cwd, env, onOutput }) {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: process.platform !== "win32" })
  const forward = (chunk) => onOutput?.(String(chunk))
  child.stdout.on("data", forward)
  child.stderr.on("data", forward)
  return child
}

/**
 * Stops a server spawned `detached` (the leader of its process group) and
 * what it started: SIGTERM to the group, SIGKILL after `graceMs` if it has
 * not exited. Resolves once the leader exited.
 */
function stopProcessGroup(child, graceMs) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once("exit", () => resolve())
    try {
      process.kill(-child.pid, "SIGTERM")
    } catch {
      child.kill("SIGTERM")
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL")
      } catch {}
    }, graceMs).unref()
  })
}

module.exports = { root, builtStore, run, hashSources, buildStore, migrate, runMigrationScripts, seedDemo, startStore, spawnServer, stopProcessGroup }
