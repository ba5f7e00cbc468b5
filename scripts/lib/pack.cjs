// The plugin as npm publishes it: `npm run build` (medusa plugin:build and the
// type declarations) and `npm pack`, done once per state of the sources. The
// type-declaration test and the package test install the same tarball.
const { execFile } = require("node:child_process")
const { promisify } = require("node:util")
const fs = require("node:fs")
const path = require("node:path")
const { root, hashSources } = require("./store.cjs")

const packDir = path.join(root, ".cache", "pack")
const marker = path.join(packDir, "packed.json")

const exec = promisify(execFile)

/**
 * Resolves with the path of the packed plugin's tarball, building and packing
 * it when the sources changed since the last pack (or there is none).
 */
async function packPlugin({ log = () => {} } = {}) {
  // npm pack also ships README.md and LICENSE, whatever `files` says.
  // The package ships `storefront/` (the storefront integration) beside the build.
  const hash = hashSources(
    ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.types.json", "README.md", "LICENSE"],
    ["src", "storefront"]
  )
  if (fs.existsSync(marker)) {
    const packed = JSON.parse(fs.readFileSync(marker, "utf8"))
    const tarball = path.join(packDir, packed.filename)
    if (packed.hash === hash && fs.existsSync(tarball)) {
      log(`The packed plugin is up to date (${packed.filename})`)
      return tarball
    }
  }
  log("Building and packing the plugin (npm run build, npm pack)")
  fs.rmSync(packDir, { recursive: true, force: true })
  fs.mkdirSync(packDir, { recursive: true })
  await exec("npm", ["run", "build"], { cwd: root, maxBuffer: 64 * 1024 * 1024 })
  const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: root, maxBuffer: 64 * 1024 * 1024 })
  const [{ filename }] = JSON.parse(stdout)
  fs.writeFileSync(marker, JSON.stringify({ hash, filename }))
  return path.join(packDir, filename)
}

module.exports = { packPlugin }
