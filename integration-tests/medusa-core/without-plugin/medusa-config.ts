// The test store of medusa-config.ts without this plugin, for the pass of
// Medusa's own HTTP tests that says what they do without it (see
// integration-tests/medusa-core/README.md). Its module and manual providers are
// left out of the config, and this folder has no `src/`, so none of the
// plugin's routes, middlewares, subscribers, jobs, workflows or links load.
process.env.PAYMENT_DESK_WITHOUT_PLUGIN = "true"

// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require("../../../medusa-config")
