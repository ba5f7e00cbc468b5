const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

const suites = {
  unit: ["<rootDir>/src/**/__tests__/**/*.unit.spec.[jt]s"],
  http: ["<rootDir>/integration-tests/http/**/*.spec.[jt]s"],
  browser: ["<rootDir>/integration-tests/browser/**/*.spec.[jt]s"],
  multi: ["<rootDir>/integration-tests/multi/**/*.spec.[jt]s"],
  types: ["<rootDir>/integration-tests/types/**/*.spec.[jt]s"],
  // Medusa's own HTTP tests, local copies (see integration-tests/medusa-core/README.md).
  core: ["<rootDir>/integration-tests/medusa-core/vendor/**/*.spec.[jt]s"],
}

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", decorators: true, tsx: true },
          target: "es2021",
        },
      },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/", "<rootDir>/.cache/"],
  setupFiles: ["<rootDir>/integration-tests/setup.js"],
  // The specs' runner, with the failures of its HTTP client made plain (see the file).
  // Medusa's own tests (`core`) get it through a wrapper that picks the store: with or without the plugin.
  moduleNameMapper: {
    "^@medusajs/test-utils$":
      process.env.TEST_TYPE === "core"
        ? "<rootDir>/integration-tests/medusa-core/test-runner.ts"
        : "<rootDir>/integration-tests/helpers/test-runner.ts",
  },
  testMatch: suites[process.env.TEST_TYPE || "unit"],
  // The browser specs copy one store database, built, migrated and seeded once per run.
  ...(process.env.TEST_TYPE === "browser"
    ? {
        globalSetup: "<rootDir>/integration-tests/helpers/browser-global-setup.ts",
        globalTeardown: "<rootDir>/integration-tests/helpers/browser-global-teardown.ts",
      }
    : {}),
  // With several workers (the HTTP suite runs two), a worker whose memory grew past
  // this after a spec file (each spec boots a whole Medusa app) is replaced by a fresh one.
  // Not for Medusa's own tests (`core`, run in band): with this limit set jest runs
  // even --runInBand in a worker, and a failure holding an ORM entity (circular)
  // then kills the worker instead of being reported.
  // Nor when profiling (PAYMENT_DESK_JEST_NODE_FLAGS with --runInBand): the specs then
  // run in the jest process itself, the one the flags reach.
  ...(process.env.TEST_TYPE === "core" || process.env.PAYMENT_DESK_JEST_NODE_FLAGS ? {} : { workerIdleMemoryLimit: "2GB" }),
}
