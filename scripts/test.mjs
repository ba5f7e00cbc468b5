// `npm test`: unit, type-declaration, HTTP integration, browser, multi-instance and package tests against a real
// PostgreSQL (the configured one when it answers, otherwise an embedded one),
// ending with one line "N passed, N failed".
import { spawn } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { resolveDatabase } from "./lib/database.cjs"

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..")
const wanted = process.argv.slice(2)
const known = ["unit", "types", "http", "browser", "multi", "package"]
const suites = (wanted.length ? wanted : known).filter((suite) => known.includes(suite))
const reports = path.join(root, ".cache", "jest-reports")
fs.mkdirSync(reports, { recursive: true })

const log = (message) => console.log(`[test] ${message}`)

function runJest(suite, env) {
  const outputFile = path.join(reports, `${suite}.json`)
  fs.rmSync(outputFile, { force: true })
  const args = [
    path.join(root, "node_modules", "jest", "bin", "jest.js"),
    "--runInBand",
    "--forceExit",
    "--json",
    `--outputFile=${outputFile}`,
  ]
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: "inherit",
      env: { ...env, TEST_TYPE: suite },
    })
    child.on("exit", (code) => {
      let result = { passed: 0, failed: 0, skipped: 0, ok: code === 0 }
      if (fs.existsSync(outputFile)) {
        const report = JSON.parse(fs.readFileSync(outputFile, "utf8"))
        result = {
          passed: report.numPassedTests,
          failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
          skipped: report.numPendingTests + report.numTodoTests,
          ok: code === 0 && report.numTotalTests > 0,
        }
        if (report.numTotalTests === 0) {
          log(`suite "${suite}" ran no test`)
          result.failed += 1
        }
      } else {
        log(`suite "${suite}" wrote no report (jest exit ${code})`)
        result.failed += 1
      }
      resolve(result)
    })
  })
}

/**
 * The package test (scripts/test-package.mjs): a fresh store installs the
 * packed plugin. Mostly npm and a build in a directory of its own, so it runs
 * beside the suites that follow the type tests; its output is printed when it
 * ends, prefixed, to keep the logs readable.
 */
function runPackageTest(env) {
  return new Promise((resolve) => {
    let output = ""
    const child = spawn(process.execPath, [path.join(root, "scripts", "test-package.mjs")], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    })
    child.stdout.on("data", (chunk) => (output += chunk))
    child.stderr.on("data", (chunk) => (output += chunk))
    child.on("exit", (code) => {
      process.stdout.write(output.replace(/^/gm, "[package] ").replace(/\[package\] $/, "") + "\n")
      const counts = output.match(/(\d+) passed, (\d+) failed\s*$/)
      const passed = counts ? Number(counts[1]) : 0
      const failed = counts ? Number(counts[2]) : 1
      resolve({ passed, failed: failed || (code === 0 ? 0 : 1), skipped: 0, ok: code === 0 && passed > 0 })
    })
  })
}

const database = await resolveDatabase({
  dataDir: path.join(root, ".cache", "test-postgres"),
  log,
})
const stop = async () => database.stop().catch(() => {})
process.on("SIGINT", () => stop().then(() => process.exit(130)))

const env = {
  ...process.env,
  // The HTTP suite runs every spec's Medusa app in one process (--runInBand) and each leaves
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
let ok = true
try {
  const add = (result) => {
    totals.passed += result.passed
    totals.failed += result.failed
    totals.skipped += result.skipped
    ok = ok && result.ok
  }
  // The package test starts once the type tests (which read the plugin's own
  // build output, which the package test rebuilds) are done.
  let packageRun = null
  const startPackage = () => {
    if (suites.includes("package") && !packageRun) {
      log("running package tests (alongside the next suites)")
      packageRun = runPackageTest(env)
    }
  }
  for (const suite of suites.filter((name) => name !== "package")) {
    if (suite !== "unit" && suite !== "types") {
      startPackage()
    }
    log(`running ${suite} tests`)
    add(await runJest(suite, env))
  }
  startPackage()
  if (packageRun) {
    add(await packageRun)
  }
} finally {
  await stop()
}

const skipped = totals.skipped ? `, ${totals.skipped} skipped` : ""
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`)
process.exit(ok && totals.failed === 0 ? 0 : 1)
