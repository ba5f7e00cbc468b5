// `@medusajs/test-utils` as Medusa's own HTTP tests import it in the `core`
// suite (jest.config.js maps the name here): the HTTP specs' runner
// (../helpers/test-runner.ts), booting the store of medusa-config.ts with the
// plugin loaded from `src/`, or, with PAYMENT_DESK_WITHOUT_PLUGIN=true, the
// same store without the plugin (./without-plugin).
import path from "path"
import * as runner from "../helpers/test-runner"

type RunnerOptions = Parameters<typeof runner.medusaIntegrationTestRunner>[0]

const withoutPlugin = process.env.PAYMENT_DESK_WITHOUT_PLUGIN === "true"
const storeFolder = withoutPlugin ? path.join(__dirname, "without-plugin") : path.join(__dirname, "..", "..")

/** Medusa's runner on this repository's test store, with or without the plugin. */
export function medusaIntegrationTestRunner(options: RunnerOptions) {
  return runner.medusaIntegrationTestRunner({ ...options, cwd: options.cwd ?? storeFolder })
}

module.exports = { ...runner, medusaIntegrationTestRunner }
