// The storefront test's storefront: the pinned copy of Medusa's dtc-starter
// (integration-tests/storefront/dtc-starter) with the plugin's storefront
// integration applied as docs/storefront.md tells a merchant, built with
// `next build` against a running store and served with `next start`.
//
// prepareStorefront (copy, `npm ci`, the docs' install commands with the
// packed plugin) needs no store, so scripts/test.mjs runs it beside the
// first suites; the browser suite's spec then builds and starts it.
const crypto = require("node:crypto")
const fs = require("node:fs")
const path = require("node:path")
const { root, run, spawnServer, stopProcessGroup } = require("./store.cjs")

const vendored = path.join(root, "integration-tests", "storefront", "dtc-starter", "apps", "storefront")
const workDir = path.join(root, ".cache", "storefront")
const appDir = path.join(workDir, "apps", "storefront")
const marker = path.join(workDir, "prepared.json")
const docsFile = path.join(root, "docs", "storefront.md")
const DOCS_MARK = "<!-- storefront-e2e:"

/**
 * The install commands of docs/storefront.md: the shell block after the
 * `<!-- storefront-e2e: ... -->` comment, one command a line. Fails when the
 * docs lost the block, so the test cannot drift from what merchants read.
 */
function installCommands() {
  const docs = fs.readFileSync(docsFile, "utf8")
  const at = docs.indexOf(DOCS_MARK)
  const open = at === -1 ? -1 : docs.indexOf("```sh\n", at)
  const close = open === -1 ? -1 : docs.indexOf("\n```", open + 6)
  if (close === -1) {
    throw new Error(`docs/storefront.md has no \`\`\`sh block after "${DOCS_MARK}"`)
  }
  return docs
    .slice(open + 6, close)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
}

/** A hash of every file under `dir` (names and contents). */
function hashTree(hash, dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") hashTree(hash, full)
    } else {
      hash.update(path.relative(root, full))
      hash.update(fs.readFileSync(full))
    }
  }
}

/**
 * Copies the pinned starter into .cache/storefront/apps/storefront, installs
 * its locked dependencies and runs the docs' install commands there, with
 * `npm install medusa-payment-desk` installing `tarball` (the packed plugin)
 * instead of the registry's. Skipped when the starter, the docs and the
 * tarball are those of the last preparation. Resolves with the app's folder.
 */
async function prepareStorefront({ tarball, log = () => {} }) {
  const commands = installCommands()
  const hash = crypto.createHash("sha256")
  hashTree(hash, vendored)
  hash.update(commands.join("\n"))
  hash.update(fs.readFileSync(tarball))
  const digest = hash.digest("hex")
  if (fs.existsSync(marker) && JSON.parse(fs.readFileSync(marker, "utf8")).hash === digest) {
    log("The storefront is prepared already")
    return appDir
  }
  fs.rmSync(workDir, { recursive: true, force: true })
  fs.mkdirSync(path.dirname(appDir), { recursive: true })
  fs.cpSync(vendored, appDir, { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) })
  const env = { ...process.env, NODE_OPTIONS: "", NEXT_TELEMETRY_DISABLED: "1" }
  const started = Date.now()
  await run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: appDir, env, log, quiet: true })
  log(`storefront: npm ci ${((Date.now() - started) / 1000).toFixed(1)} s`)
  for (const command of commands) {
    if (/^cd apps\/storefront$/.test(command)) continue
    const line = command.replace(/^npm install medusa-payment-desk$/, `npm install --no-audit --no-fund ${JSON.stringify(tarball)}`)
    if (line === command && command.startsWith("npm install")) {
      throw new Error(`docs/storefront.md: the test does not know how to run "${command}"`)
    }
    const at = Date.now()
    await run("bash", ["-euo", "pipefail", "-c", line], { cwd: appDir, env, log, quiet: true })
    log(`storefront: ${command} ${((Date.now() - at) / 1000).toFixed(1)} s`)
  }
  fs.writeFileSync(marker, JSON.stringify({ hash: digest }))
  return appDir
}

/** The environment the starter reads (its .env.template), for a store at `backendUrl`. */
function storefrontEnv({ backendUrl, publishableKey, baseUrl, region }) {
  return {
    ...process.env,
    NODE_OPTIONS: "",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_PUBLIC_MEDUSA_BACKEND_URL: backendUrl,
    NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY: publishableKey,
    NEXT_PUBLIC_BASE_URL: baseUrl,
    NEXT_PUBLIC_DEFAULT_REGION: region,
  }
}

/** `next build` of the prepared app; the store must answer (the starter reads regions and categories while building). */
async function buildStorefront({ dir = appDir, env, log = () => {} }) {
  await run(process.execPath, [path.join(dir, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: dir, env, log, quiet: true })
}

/** `next start` of the built app on `port`; resolves once its home page answers. */
async function startStorefront({ dir = appDir, env, port, onOutput }) {
  const next = path.join(dir, "node_modules", "next", "dist", "bin", "next")
  const child = spawnServer(process.execPath, [next, "start", "-p", String(port)], { cwd: dir, env, onOutput })
  const url = `http://localhost:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`)
    try {
      const response = await fetch(url, { redirect: "manual" })
      if (response.status < 500) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The storefront did not answer ${url} within 60 s`)
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
  return {
    url,
    // next-server waits for open connections (the browser's keep-alive) before it exits.
    stop: () => stopProcessGroup(child, 5_000),
  }
}

module.exports = { appDir, installCommands, prepareStorefront, storefrontEnv, buildStorefront, startStorefront }
