// `npm test`: unit, type-declaration, HTTP integration, browser, multi-instance and package tests against a real
// PostgreSQL of the run's own (an embedded cluster made anew, see startTestDatabase),
// ending with one line "N passed, N failed".
//
// The machine has two cores; the suites run in lanes that keep both busy:
//   setup:  the test database and its migrated template1, and one build +
//           pack of the plugin (shared by the type, package and storefront
//           tests); then, in the background, the storefront test's copy of
//           Medusa's starter is installed with the packed plugin
//   unit:   from the start, beside everything; nothing waits for it
//   lane 1: the HTTP suite, three jest workers (each spec its own Medusa app and database)
//   lane 2: package → multi (then `core` when named: Medusa's own HTTP
//           tests, see integration-tests/medusa-core)
//   lane 3: types, then browser (its store's build, Chromium, the storefront)
// Each line a suite prints is prefixed with its name; a table of the suites'
// times closes the run.
import { spawn } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { createRequire } from "node:module"
import { serverUrl, startTestDatabase } from "./lib/database.cjs"

const require = createRequire(import.meta.url)
const { packPlugin } = require("./lib/pack.cjs")
const { prepareStorefront } = require("./lib/storefront.cjs")

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..")
// `node scripts/test.mjs http -- refunds` runs the suites named before `--`,
// and gives what follows it to jest (e.g. a spec path pattern).
const separator = process.argv.indexOf("--")
const wanted = process.argv.slice(2, separator === -1 ? undefined : separator)
const jestArgs = separator === -1 ? [] : process.argv.slice(separator + 1)
const known = ["unit", "types", "http", "browser", "multi", "package"]
// Run only when named: Medusa's own HTTP tests against this store
// (integration-tests/medusa-core/README.md); their files are local copies, not
// in the repository, so `npm test` and CI leave them out.
const onRequest = ["core"]
const suites = (wanted.length ? wanted : known).filter((suite) => known.includes(suite) || onRequest.includes(suite))
// Each run's own folders (the cluster, the jest reports, the covered module
// sets), so that two runs in one checkout (e.g. two suites side by side) do
// not share or delete each other's; the reports stay after the run.
const runId = String(process.pid)
const clusterDir = path.join(root, ".cache", `test-run-postgres-${runId}`)
const reports = path.join(root, ".cache", "jest-reports", runId)
fs.mkdirSync(reports, { recursive: true })
const startedAt = Date.now()

const log = (message) => console.log(`[test] ${message}`)
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`

/**
 * CPU seconds in the children's line of bash's `times` ("0m0.1s 0m0.0s\n1m2.5s 0m3.1s"):
 * a Number (user + system) that also carries `system`, the kernel's part.
 */
function childrenCpu(times) {
  const line = times.trim().split("\n")[1] ?? ""
  const [user = 0, system = 0] = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map(([, m, s]) => Number(m) * 60 + Number(s))
  return Object.assign(new Number(user + system), { system })
}

/**
 * CPU seconds of the test cluster so far: the postmaster's own and that of the
 * backends it has reaped (every connection closed by now), from /proc; undefined
 * where there is no /proc or no cluster.
 */
function postmasterCpu(dataDir) {
  try {
    const pid = fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0].trim()
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    // Fields after the command's closing parenthesis: utime is the 12th, then stime, cutime, cstime.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    const ticks = fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0)
    return ticks / 100
  } catch {
    return undefined
  }
}

/** Spawns a command whose every output line is printed with `[name] ` before it; resolves with its exit code and output. */
function runPrefixed(name, command, args, options) {
  return new Promise((resolve) => {
    let output = ""
    let pending = { stdout: "", stderr: "" }
    // bash's `times` after the command: the CPU the command and every
    // descendant it reaped used (user + system), for the closing table.
    const child = spawn("bash", ["-c", '"$@"; code=$?; times >&3; exit $code', "bash", command, ...args], {
      ...options,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    })
    let times = ""
    child.stdio[3].on("data", (chunk) => (times += chunk))
    const forward = (stream) => (chunk) => {
      const text = pending[stream] + chunk
      output += chunk
      const lines = text.split("\n")
      pending[stream] = lines.pop()
      for (const line of lines) {
        process.stdout.write(`[${name}] ${line}\n`)
      }
    }
    child.stdout.on("data", forward("stdout"))
    child.stderr.on("data", forward("stderr"))
    child.on("exit", (code) => {
      for (const rest of Object.values(pending)) {
        if (rest) process.stdout.write(`[${name}] ${rest}\n`)
      }
      resolve({ code, output, cpu: childrenCpu(times) })
    })
  })
}

/** One jest run of a suite (jest.config.js picks its specs from TEST_TYPE); counts come from its JSON report. */
async function runJest(suite, env, workers = 1) {
  const outputFile = path.join(reports, `${suite}.json`)
  fs.rmSync(outputFile, { force: true })
  const args = [
    // e.g. PAYMENT_DESK_JEST_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" with
    // `-- --runInBand` to profile a suite's specs (docs/development.md).
    ...(process.env.PAYMENT_DESK_JEST_NODE_FLAGS ?? "").split(" ").filter(Boolean),
    path.join(root, "node_modules", "jest", "bin", "jest.js"),
    ...(workers > 1 && !jestArgs.includes("--runInBand") ? [`--maxWorkers=${workers}`] : jestArgs.includes("--runInBand") ? [] : ["--runInBand"]),
    "--forceExit",
    "--json",
    `--outputFile=${outputFile}`,
    ...jestArgs,
  ]
  const { code, cpu } = await runPrefixed(suite, process.execPath, args, { cwd: root, env: { ...env, TEST_TYPE: suite } })
  if (!fs.existsSync(outputFile)) {
    log(`suite "${suite}" wrote no report (jest exit ${code})`)
    return { passed: 0, failed: 1, skipped: 0, ok: false, cpu }
  }
  const report = JSON.parse(fs.readFileSync(outputFile, "utf8"))
  const result = {
    passed: report.numPassedTests,
    failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
    skipped: report.numPendingTests + report.numTodoTests,
    ok: code === 0 && report.numTotalTests > 0,
    cpu,
  }
  if (report.numTotalTests === 0) {
    log(`suite "${suite}" ran no test`)
    result.failed += 1
  }
  return result
}

/**
 * The package test (scripts/test-package.mjs): a fresh store installs the
 * packed plugin. It prints "N passed, N failed" last.
 */
async function runPackageTest(env) {
  const { code, output, cpu } = await runPrefixed("package", process.execPath, [path.join(root, "scripts", "test-package.mjs")], {
    cwd: root,
    env,
  })
  const counts = output.match(/(\d+) passed, (\d+) failed\s*$/)
  const passed = counts ? Number(counts[1]) : 0
  const failed = counts ? Number(counts[2]) : 1
  return { passed, failed: failed || (code === 0 ? 0 : 1), skipped: 0, ok: code === 0 && passed > 0, cpu }
}

/**
 * Migrates the test cluster's `template1`, the database PostgreSQL copies for
 * every `CREATE DATABASE`, the way Medusa's test runner migrates a spec's
 * database (module migrations and links, no migration scripts): each spec,
 * browser store and server then starts from the migrated schema and its own
 * migration run finds nothing left to do. What a spec adds (e.g. the RBAC
 * module) still migrates in the spec. The package test creates its database
 * from `template0`, so the packed plugin migrates an empty database.
 */
async function migrateTemplate(database) {
  const { code, output } = await runPrefixed(
    "template",
    path.join(root, "node_modules", ".bin", "medusa"),
    ["db:migrate", "--skip-scripts", "--execute-all-links", "--execute-all-search"],
    { cwd: root, env: { ...process.env, NODE_ENV: "test", DATABASE_URL: serverUrl(database, "template1") } }
  )
  if (code !== 0) {
    throw new Error(`medusa db:migrate of template1 exited with ${code}\n${output.slice(-4000)}`)
  }
}

/**
 * `.ci/run` installs Chromium and redis-server in the background while the
 * first suites run and names a status file in PAYMENT_DESK_APT_INSTALL_STATUS;
 * the browser suite (and the multi-instance test after it) waits for it (the
 * install's exit code) and, if the install failed, runs anyway and fails on
 * what is missing.
 */
async function waitForPackageInstall() {
  const file = process.env.PAYMENT_DESK_APT_INSTALL_STATUS
  if (!file) return
  const waited = Date.now()
  while (!fs.existsSync(file) && Date.now() - waited < 15 * 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const code = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "none after 15 min"
  log(`apt-get install (chromium, redis-server): exit ${code}, waited ${seconds(Date.now() - waited)} for it`)
}

const database = await startTestDatabase({ dataDir: clusterDir, log })
const stop = async () => database.stop().catch(() => {})
process.on("SIGINT", () => stop().then(() => process.exit(130)))

const env = {
  ...process.env,
  // A jest process runs several specs' Medusa apps one after another and each leaves
  // some heap behind: past ~25 specs that crossed Node's default 4 GB limit.
  NODE_OPTIONS: [process.env.NODE_OPTIONS, "--experimental-vm-modules", "--max-old-space-size=8192"].filter(Boolean).join(" "),
  DB_HOST: database.host,
  DB_PORT: String(database.port),
  DB_USERNAME: database.user,
  DB_PASSWORD: database.password,
}
// The test runner builds its own database per spec from DB_*.
delete env.DATABASE_URL

const totals = { passed: 0, failed: 0, skipped: 0 }
const times = []
let ok = true
const add = (result) => {
  totals.passed += result.passed
  totals.failed += result.failed
  totals.skipped += result.skipped
  ok = ok && result.ok
}
/** Runs a step, records its time for the closing table; a step that throws counts as one failure. */
async function timed(name, step) {
  const started = Date.now()
  log(`${name}: started`)
  try {
    const result = await step()
    if (result) add(result)
    log(`${name}: done in ${seconds(Date.now() - started)}${result ? ` (${result.passed} passed, ${result.failed} failed)` : ""}`)
    times.push([name, Date.now() - started, result?.cpu])
  } catch (error) {
    add({ passed: 0, failed: 1, skipped: 0, ok: false })
    log(`${name}: failed after ${seconds(Date.now() - started)}: ${error?.stack ?? error}`)
    times.push([name, Date.now() - started])
  }
}

const has = (suite) => suites.includes(suite)
try {
  // Setup, side by side: the template (needed by every suite with a database)
  // and the plugin's build and pack. The unit tests (no database) run beside
  // everything from the start: no suite waits for them, so their ~90 s on one
  // core fill the gaps of the setup and the lanes instead of holding both
  // lanes back (they did until Dec 2026: the lanes started when the unit
  // suite ended, ~45 s after the setup, with one core idle meanwhile).
  const needsTemplate = suites.some((suite) => suite !== "unit" && suite !== "types")
  let packed = false
  // The browser suite's storefront test needs the starter copied, installed and
  // integrated (no store needed): done beside the suites that run first.
  let storefrontPrepared = Promise.resolve()
  const unit = has("unit") ? timed("unit", () => runJest("unit", env)) : Promise.resolve()
  const template = needsTemplate
    ? timed("template1 migration", async () => {
        await migrateTemplate(database)
        // Tells the suites that a database created now starts migrated: the
        // browser suite then runs only Medusa's migration scripts on its store
        // database, not the whole `medusa db:migrate`.
        env.PAYMENT_DESK_TEMPLATE1_MIGRATED = "true"
        // The module sets whose migrations and links a copy of template1 was seen
        // to have already (integration-tests/helpers/test-runner.ts): new each run.
        const covered = path.join(root, ".cache", `template1-covered-${runId}`)
        fs.rmSync(covered, { recursive: true, force: true })
        env.PAYMENT_DESK_TEMPLATE1_COVERED = covered
      })
    : Promise.resolve()
  const pack =
    has("types") || has("package") || has("browser")
      ? timed("build + pack", async () => {
          const tarball = await packPlugin({ log })
          packed = true
          if (has("browser")) {
            const started = Date.now()
            storefrontPrepared = prepareStorefront({ tarball, log: (line) => log(line.trim()) }).then(
              () => log(`storefront prepared in ${seconds(Date.now() - started)}`),
              // The spec prepares it again and fails with the cause.
              (error) => log(`preparing the storefront failed: ${error?.message ?? error}`)
            )
          }
        })
      : Promise.resolve()
  // Three lanes. The HTTP suite's workers keep both cores busy; the
  // other suites wait much of their time (on Medusa's boots, on Chromium, on
  // Redis timeouts: package 192 s of CPU in 340 s, browser 314 in 571, multi
  // 178 in 269 in one run), so they run beside it in two lanes rather than
  // one after another in one: with them in one lane, that lane ran ~200 s
  // past the HTTP suite with one core idle. Each suite waits only for what it
  // uses: the pack (types, package, browser) and the migrated template
  // (HTTP, browser, multi; the package test migrates a database of its own,
  // made from template0).
  // Three HTTP workers, not two: with two, the HTTP suite ran ~220 s alone
  // after the other lanes had ended (1.7 of the 2 cores busy over the run);
  // a third keeps both cores busy to its end (docs/development.md, "Times").
  const HTTP_WORKERS = Number(process.env.PAYMENT_DESK_HTTP_WORKERS || 3)
  const laneOne = async () => {
    await template
    if (has("http")) await timed("http", () => runJest("http", env, HTTP_WORKERS))
  }
  const laneTwo = async () => {
    await pack
    if (has("package") && packed) await timed("package", () => runPackageTest(env))
    await template
    if (has("multi")) {
      await waitForPackageInstall()
      await timed("multi", () => runJest("multi", env))
    }
    if (has("core")) {
      if (!fs.existsSync(path.join(root, "integration-tests", "medusa-core", "vendor"))) {
        log("core: no copies of Medusa's tests in integration-tests/medusa-core/vendor (see its README.md)")
      }
      await timed("core", () => runJest("core", env))
    }
  }
  const laneThree = async () => {
    await pack
    // The type test waits on the pack only, and the browser suite on the
    // storefront's install besides: run here, it delays neither that nor the
    // HTTP suite, the longest.
    if (has("types") && packed) await timed("types", () => runJest("types", env))
    await template
    if (has("browser")) {
      await waitForPackageInstall()
      await storefrontPrepared
      await timed("browser", () => runJest("browser", env))
    }
  }
  await Promise.all([unit, laneOne(), laneTwo(), laneThree()])
} finally {
  const postgresCpu = postmasterCpu(clusterDir)
  if (postgresCpu !== undefined) times.push(["PostgreSQL (CPU only)", undefined, postgresCpu])
  await stop()
  fs.rmSync(path.join(root, ".cache", `template1-covered-${runId}`), { recursive: true, force: true })
}
log(`jest reports: ${path.relative(root, reports)}`)

log("times (wall; CPU of the suite's processes, user + system):")
for (const [name, ms, cpu] of times) {
  const kernel = cpu?.system === undefined ? "" : ` (system ${cpu.system.toFixed(0)} s)`
  log(`  ${name.padEnd(22)} ${ms === undefined ? "" : seconds(ms)}${cpu === undefined ? "" : `${ms === undefined ? "" : "; "}CPU ${cpu.toFixed(0)} s${kernel}`}`)
}
const ownCpu = process.cpuUsage()
log(`  ${"whole run".padEnd(22)} ${seconds(Date.now() - startedAt)}; this script's own CPU ${((ownCpu.user + ownCpu.system) / 1e6).toFixed(0)} s`)
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : ""
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`)
process.exit(ok && totals.failed === 0 ? 0 : 1)
