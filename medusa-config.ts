import path from "path"
import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/**
 * The store that the demo and the integration tests run: it loads this
 * plugin's own `src/` (api, subscribers, jobs, workflows and admin load from
 * `src/` by convention; providers and modules are listed by path below).
 * A store that installs the published plugin lists it under `plugins` instead
 * (see README.md).
 */
const redisUrl = process.env.REDIS_URL

// PAYMENT_DESK_MANUAL_METHODS (a JSON array of method options) replaces the
// demo methods below, e.g. to try other instructions without editing this file.
const manualMethods: Record<string, unknown>[] = process.env.PAYMENT_DESK_MANUAL_METHODS
  ? JSON.parse(process.env.PAYMENT_DESK_MANUAL_METHODS)
  : [
  {
    method: "bank-transfer",
    display_name: "Bank transfer",
    instructions:
      process.env.PAYMENT_DESK_BANK_INSTRUCTIONS ??
      "Transfer {amount} by {pay_by} to:\nAccount holder: {account_holder}\nIBAN: {iban}\nBIC: {bic}\nReference: {reference} (order #{order_number})",
    payment_window_hours: 48,
    currencies: ["eur", "usd"],
    reference_format: "rf",
    // The IBAN and BIC are the usual documentation example, not the demo's money.
    accounts: [
      {
        currency: "eur",
        account_holder: "Payment Desk Demo GmbH",
        iban: "DE89370400440532013000",
        bic: "COBADEFFXXX",
      },
    ],
  },
  {
    method: "cash-on-delivery",
    display_name: "Cash on delivery",
    instructions: "Pay the courier in cash when your parcel arrives. Exact change is appreciated.",
    payment_window_hours: null,
    currencies: ["eur"],
  },
]

// Stripe (optional): Medusa's own Stripe provider, plus the plugin's Stripe
// options for refunds, webhooks and reconciliation. With an API host (the
// tests' fake Stripe on loopback) a test-only subclass points the provider's
// client there.
const stripeApiKey = process.env.PAYMENT_DESK_STRIPE_API_KEY
const stripeApiHost = process.env.PAYMENT_DESK_STRIPE_API_HOST
const stripe = stripeApiKey
  ? {
      apiKey: stripeApiKey,
      webhookSecret: process.env.PAYMENT_DESK_STRIPE_WEBHOOK_SECRET,
      ...(stripeApiHost ? { apiHost: stripeApiHost } : {}),
      ...(process.env.PAYMENT_DESK_STRIPE_TIMEOUT_MS
        ? { timeoutMs: Number(process.env.PAYMENT_DESK_STRIPE_TIMEOUT_MS) }
        : {}),
    }
  : undefined
const stripeProviders = stripe
  ? [
      {
        // An absolute path: Medusa reads "./x" as "./src/x".
        // PAYMENT_DESK_STRIPE_PROVIDER: where that subclass is when this store runs from
        // elsewhere than the repository's root (the demo's built store: a compiled copy).
        resolve: stripeApiHost
          ? process.env.PAYMENT_DESK_STRIPE_PROVIDER || path.join(process.cwd(), "integration-tests/fixtures/stripe-provider")
          : "@medusajs/medusa/payment-stripe",
        id: "stripe",
        options: { apiKey: stripe.apiKey, webhookSecret: stripe.webhookSecret, apiHost: stripeApiHost },
      },
    ]
  : []

const redisModules = redisUrl
  ? [
      {
        resolve: "@medusajs/medusa/event-bus-redis",
        options: {
          redisUrl,
          // How soon an event a dead worker was handling is given to another (BullMQ's lock on an
          // active job, and how often workers look for stalled ones; 30 s each by default).
          ...(process.env.EVENT_BUS_LOCK_DURATION_MS
            ? {
                workerOptions: {
                  lockDuration: Number(process.env.EVENT_BUS_LOCK_DURATION_MS),
                  stalledInterval: Number(process.env.EVENT_BUS_LOCK_DURATION_MS),
                },
              }
            : {}),
        },
      },
      { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
      { resolve: "@medusajs/medusa/cache-redis", options: { redisUrl } },
      {
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [
            {
              resolve: "@medusajs/medusa/locking-redis",
              id: "locking-redis",
              is_default: true,
              options: { redisUrl },
            },
          ],
        },
      },
    ]
  : []

// --- Medusa RBAC (payment desk: money routes declare policies) ---
// MEDUSA_FF_RBAC=true turns on Medusa's role-based access control: route
// policies, roles in the session token, and the RBAC module. The module is
// listed here too because defineConfig picks its default modules before
// Medusa has registered its own feature flags when the integration test
// runner loads this file (the RBAC default would stay disabled).
const rbacModules = process.env.MEDUSA_FF_RBAC === "true" ? [{ resolve: "@medusajs/medusa/rbac" }] : []

// --- Medusa's own HTTP tests (`node scripts/test.mjs core`, integration-tests/medusa-core) ---
// PAYMENT_DESK_MEDUSA_CORE_TESTS=true adds what the store of Medusa's own
// integration tests has and this one lacks: the manual fulfillment provider
// under the id `test-provider` (beside the usual `manual`), and a second
// instance of the system payment provider, `pp_system_default_2`.
const medusaCoreTests = process.env.PAYMENT_DESK_MEDUSA_CORE_TESTS === "true"
// The same store without the plugin: its module and manual providers left out.
// Set by integration-tests/medusa-core/without-plugin/medusa-config.ts, whose
// folder has no `src/`, so the plugin's routes, middlewares, subscribers, jobs
// and links do not load either.
const withoutPlugin = process.env.PAYMENT_DESK_WITHOUT_PLUGIN === "true"
const medusaCorePaymentProviders = medusaCoreTests
  ? [
      {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        resolve: { services: [require("@medusajs/payment/dist/providers/system").default] },
        id: "default_2",
      },
    ]
  : []
const medusaCoreModules = medusaCoreTests
  ? [
      {
        resolve: "@medusajs/medusa/fulfillment",
        options: {
          providers: [
            { resolve: "@medusajs/medusa/fulfillment-manual", id: "manual" },
            { resolve: "@medusajs/medusa/fulfillment-manual", id: "test-provider" },
          ],
        },
      },
    ]
  : []

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    // Medusa's server/worker split, as the starter has it: `server` instances
    // answer HTTP only; the `worker` runs subscribers and scheduled jobs;
    // `shared` (default) does both.
    workerMode: (process.env.MEDUSA_WORKER_MODE as "shared" | "worker" | "server" | undefined) ?? "shared",
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000,http://localhost:5173",
      authCors: process.env.AUTH_CORS || "http://localhost:9000,http://localhost:5173,http://localhost:8000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
    // `medusa start` runs in production mode, where the admin session cookie is
    // `Secure` and never set over plain http: the demo and the browser tests
    // switch that off for localhost only.
    ...(process.env.PAYMENT_DESK_INSECURE_COOKIES === "true"
      ? { cookieOptions: { secure: false, sameSite: "lax" as const } }
      : {}),
  },
  admin: {
    disable: process.env.DISABLE_MEDUSA_ADMIN === "true" || process.env.MEDUSA_ADMIN_DISABLE === "true",
    backendUrl: process.env.MEDUSA_BACKEND_URL,
  },
  modules: [
    ...(withoutPlugin
      ? []
      : [
          {
            // Registered by path here; a store that installs the plugin gets it
            // through `plugins`, with the plugin options as its options.
            resolve: "./src/modules/payment-desk",
            options: {
              ...(process.env.PAYMENT_DESK_OPTIONS ? JSON.parse(process.env.PAYMENT_DESK_OPTIONS) : {}),
              ...(stripe ? { stripe } : {}),
            },
          },
        ]),
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          ...(withoutPlugin ? [] : manualMethods).map((options) => ({
            resolve: "./src/providers/manual-payment",
            id: String(options.method),
            options,
          })),
          ...stripeProviders,
          ...medusaCorePaymentProviders,
        ],
      },
    },
    {
      // The demo and test store log notifications; a real store registers its
      // email provider (SendGrid, Resend, ...) for the "email" channel.
      // PAYMENT_DESK_NOTIFICATION_CHANNELS="feed" runs it like a store with no email provider.
      resolve: "@medusajs/medusa/notification",
      options: {
        providers: [
          {
            resolve: "@medusajs/medusa/notification-local",
            id: "local",
            options: { channels: (process.env.PAYMENT_DESK_NOTIFICATION_CHANNELS ?? "email,feed").split(",") },
          },
        ],
      },
    },
    ...redisModules,
    ...rbacModules,
    ...medusaCoreModules,
  ],
})

