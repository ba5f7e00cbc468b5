// The tests' Stripe double (integration-tests/helpers/fake-stripe.ts) for `npm run demo`:
// a small Stripe API on loopback that Medusa's Stripe provider and the plugin
// talk to with the real `stripe` SDK. No money moves and nothing reaches Stripe.
// Its TypeScript is compiled here with `typescript` (a dev dependency), so the
// demo needs no TypeScript loader; what it holds is kept in a JSON file between runs.
const fs = require("node:fs")
const path = require("node:path")
const ts = require("typescript")

const root = path.resolve(__dirname, "..", "..")

/** Compiles one TypeScript file of the repository to CommonJS at `target` (beside the repository's node_modules). */
function compile(source, target) {
  const { outputText } = ts.transpileModule(fs.readFileSync(path.join(root, source), "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: source,
  })
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.writeFileSync(target, outputText)
  return target
}

/**
 * Starts the double on a free loopback port with the state of `stateFile`
 * (when there is one), saving every change back to it; resolves with the
 * double (`url`, `apiKey`, `webhookSecret`, `stop()`).
 */
async function startStripeDouble({ stateFile }) {
  const compiled = compile("integration-tests/helpers/fake-stripe.ts", path.join(root, ".cache", "demo", "fake-stripe.cjs"))
  const { FakeStripe } = require(compiled)
  const stripe = new FakeStripe()
  if (fs.existsSync(stateFile)) {
    stripe.importState(JSON.parse(fs.readFileSync(stateFile, "utf8")))
  }
  stripe.onChange = () => {
    fs.mkdirSync(path.dirname(stateFile), { recursive: true })
    fs.writeFileSync(`${stateFile}.tmp`, JSON.stringify(stripe.exportState()))
    fs.renameSync(`${stateFile}.tmp`, stateFile)
  }
  await stripe.start()
  return stripe
}

/**
 * The test store's Stripe provider (Medusa's own, its client pointed at the
 * double: integration-tests/fixtures/stripe-provider), compiled; returns its
 * path for medusa-config's PAYMENT_DESK_STRIPE_PROVIDER, so the store finds it
 * whether it runs from the repository, the build folder or the built store.
 */
function compileLoopbackProvider() {
  return compile(
    "integration-tests/fixtures/stripe-provider/index.ts",
    path.join(root, ".cache", "demo", "stripe-provider", "index.js")
  )
}

module.exports = { startStripeDouble, compileLoopbackProvider }
