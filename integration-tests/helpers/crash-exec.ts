// Runs a `medusa exec` script in a second Medusa process on the spec's
// database, for the kill tests: the script wraps a method of a module service
// so that the process exits (code 86) at one point of a workflow, leaving
// behind exactly what a crash there would. Nothing in src/ knows about it.
import { execFile } from "node:child_process"
import path from "node:path"
import { promisify } from "node:util"

const ROOT = path.resolve(__dirname, "../..")

/** The exit code the crash scripts die with. */
export const CRASHED = 86

/** Runs `integration-tests/helpers/<script>` with `medusa exec` on database `dbName`; its exit code and output. */
export async function crashExec(script: string, dbName: string, env: Record<string, string>) {
  const db = `postgres://${process.env.DB_USERNAME || "postgres"}${
    process.env.DB_PASSWORD ? `:${process.env.DB_PASSWORD}` : ""
  }@${process.env.DB_HOST || "localhost"}:${process.env.DB_PORT || 5432}/${dbName}`
  return promisify(execFile)(path.join(ROOT, "node_modules/.bin/medusa"), ["exec", `./integration-tests/helpers/${script}`], {
    cwd: ROOT,
    timeout: 240_000,
    env: { ...process.env, NODE_OPTIONS: "", DATABASE_URL: db, ...env },
  }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout })
  )
}
