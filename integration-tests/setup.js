// Each spec boots its own Medusa app: drop the ORM metadata a previous spec registered.
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// The HTTP specs run the plugin's jobs themselves, when they choose. The
// store's own schedules (auto-close every 15 min, reconciliation every 5,
// reminders every 30, on the wall clock) would otherwise fire in the middle of
// whatever spec straddles :00/:15/:30/:45 and close or remind the orders a test
// is still setting up (seen in close-order.spec: the scheduled auto-close took
// the six overdue orders before the test's two jobs ran). An interval of ~24
// days (the longest Node's timers take) keeps them quiet; a spec that sets a
// schedule itself (or the multi-instance test's servers) keeps its own.
//
// The browser suite's stores (`medusa start`, which inherits this environment)
// likewise: a run at 18:00:00 saw the auto-close take the seeded overdue order
// the desk spec's first test needs. There the interval is 7 days, so that the
// Settings page (and its screenshot) reads a plain "every 10080 minutes".
const QUIET = { http: "2147483647", core: "2147483647", browser: String(7 * 24 * 3_600_000) }[process.env.TEST_TYPE]
if (QUIET) {
  for (const name of ["PAYMENT_DESK_AUTO_CLOSE_SCHEDULE", "PAYMENT_DESK_RECONCILE_SCHEDULE", "PAYMENT_DESK_REMINDER_SCHEDULE"]) {
    process.env[name] = process.env[name] || QUIET
  }
}

// Node 20's global HTTP agent keeps sockets alive and closes one after 5 s idle;
// the in-process Medusa server closes an idle keep-alive socket after 5 s too.
// A request that reuses a socket idle for ~5 s (the client's calls before a
// long insert or a full GC on a loaded machine) can go out just as the server
// closes it: ECONNRESET (seen on audit.spec's export of 100,000 entries). The
// specs' clients (the runner's axios, node:http) open a connection per request.
if (["http", "multi", "core"].includes(process.env.TEST_TYPE)) {
  const http = require("node:http")
  http.globalAgent = new http.Agent({ keepAlive: false })
}

// Medusa's own HTTP tests (`core`) need what the store of Medusa's test suite
// has beside ours (medusa-config.ts: a `test-provider` fulfillment provider,
// `pp_system_default_2`).
if (process.env.TEST_TYPE === "core") {
  process.env.PAYMENT_DESK_MEDUSA_CORE_TESTS = "true"
}
