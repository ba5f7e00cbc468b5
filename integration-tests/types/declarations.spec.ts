// The published package's type declarations: build, pack, unpack the tarball
// next to this repo's node_modules and type-check a consumer with `tsc --strict`.
import { execFileSync, spawnSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packPlugin } = require("../../scripts/lib/pack.cjs")

jest.setTimeout(180_000)

const root = path.resolve(__dirname, "../..")
const work = path.join(root, ".cache", "types-consumer")
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc")

const consumer = `
import type { MedusaContainer } from "@medusajs/framework/types"
import {
  recordPaymentWorkflow,
  PaymentDeskEvents,
  type RecordPaymentWorkflowInput,
  type OrderClosedEventData,
} from "medusa-payment-desk/workflows"
import type { PaymentRecordedEventData } from "medusa-payment-desk/events"
import { PAYMENT_DESK_MODULE, resolvePaymentDeskOptions } from "medusa-payment-desk/modules/payment-desk"
import { manualProviderId } from "medusa-payment-desk/providers/manual-payment"

export const input: RecordPaymentWorkflowInput = {
  order_id: "order_1",
  amount: 12.5,
  method: "bank-transfer",
  actor: { type: "user", id: "user_1" },
}
// @ts-expect-error the amount is a number in the order's currency
export const wrong: RecordPaymentWorkflowInput = { ...input, amount: "12.50" }

export async function record(container: MedusaContainer): Promise<string> {
  const { result } = await recordPaymentWorkflow(container).run({ input })
  // @ts-expect-error the workflow's input is a RecordPaymentWorkflowInput
  await recordPaymentWorkflow(container).run({ input: { order_id: 1 } })
  return result.audit_entry.id
}

export const closed: OrderClosedEventData["refund_request_ids"] = ["pdref_1"]
export const recorded = (data: PaymentRecordedEventData): string => data.payment_id
export const eventName: "payment_desk.order_closed" = PaymentDeskEvents.ORDER_CLOSED
export const moduleKey: "payment_desk" = PAYMENT_DESK_MODULE
export const ttl: number = resolvePaymentDeskOptions({}).idempotency_ttl_hours
export const providerId: string = manualProviderId("bank-transfer")
`

// A storefront's use of the typed store client, with a js-sdk instance.
const storefrontConsumer = `
import Medusa from "@medusajs/js-sdk"
import { paymentDesk, type PaymentDeskStoreClient, type StoreOrderPayment } from "medusa-payment-desk/storefront"

const sdk = new Medusa({ baseUrl: "http://localhost:9000", publishableKey: "pk_test" })
export const desk: PaymentDeskStoreClient = paymentDesk(sdk)

export async function due(orderId: string): Promise<number | null> {
  const payment: StoreOrderPayment | null = await desk.retrieveOrderPayment(orderId, { headers: { authorization: "Bearer t" } })
  return payment && payment.status !== "paid" ? payment.amount_due : null
}
export async function cancel(orderId: string): Promise<"closed" | "requested"> {
  const result = await desk.closeOrder(orderId, { reason: "customer_request" }, { idempotencyKey: "k1" })
  // @ts-expect-error customers give only their own reasons
  await desk.closeOrder(orderId, { reason: "fraud_suspected" })
  return result.outcome
}
export const names = async (regionId: string) =>
  (await desk.listPaymentMethods(regionId)).payment_methods.map((method) => method.display_name)
`

// One real misuse, to show that this check reports errors at all.
const misuse = `
import { recordPaymentWorkflow } from "medusa-payment-desk/workflows"
export const run = (container: Parameters<typeof recordPaymentWorkflow>[0]) =>
  recordPaymentWorkflow(container).run({ input: { order_id: "order_1", amount: "ten" } })
`

function typeCheck(file: string, moduleResolution: "node16" | "bundler" | "node") {
  const dir = path.join(work, `check-${moduleResolution}-${path.basename(file, ".ts")}`)
  fs.mkdirSync(dir, { recursive: true })
  fs.copyFileSync(path.join(work, file), path.join(dir, "index.ts"))
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: "ES2021",
        module: moduleResolution === "node16" ? "node16" : moduleResolution === "node" ? "commonjs" : "esnext",
        moduleResolution,
        skipLibCheck: true,
        types: [],
      },
      files: ["index.ts"],
    })
  )
  const run = spawnSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json")], { cwd: dir, encoding: "utf8" })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

describe("the packed plugin's type declarations", () => {
  beforeAll(async () => {
    fs.rmSync(work, { recursive: true, force: true })
    fs.mkdirSync(work, { recursive: true })
    const tarball: string = await packPlugin()
    // Unpacked as the store would install it, with this repo's node_modules above for its peers.
    const target = path.join(work, "node_modules", "medusa-payment-desk")
    fs.mkdirSync(target, { recursive: true })
    execFileSync("tar", ["xzf", tarball, "-C", target, "--strip-components=1"])
    // A package of its own, so that "medusa-payment-desk" is not resolved as this repo's self-reference.
    fs.writeFileSync(path.join(work, "package.json"), JSON.stringify({ name: "types-consumer", private: true }))
    // One file per resolution keeps the type checks few (each is a tsc run): the storefront's use rides along.
    fs.writeFileSync(path.join(work, "consumer.ts"), `${consumer}\n${storefrontConsumer}`)
    fs.writeFileSync(path.join(work, "misuse.ts"), misuse)
    fs.writeFileSync(path.join(work, "storefront.ts"), storefrontConsumer)
  })

  it("ships a .d.ts next to each public entry's .js", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(work, "node_modules", "medusa-payment-desk", "package.json"), "utf8"))
    for (const entry of ["./workflows", "./modules/*", "./providers/*", "./storefront", "./*"]) {
      expect(pkg.exports[entry]).toEqual({ types: expect.stringMatching(/\.d\.ts$/), default: expect.stringMatching(/\.js$/) })
    }
    const server = path.join(work, "node_modules", "medusa-payment-desk", ".medusa", "server", "src")
    for (const file of ["workflows/index", "events", "modules/payment-desk/index", "providers/manual-payment/index", "storefront/index"]) {
      expect(fs.existsSync(path.join(server, `${file}.js`))).toBe(true)
      expect(fs.existsSync(path.join(server, `${file}.d.ts`))).toBe(true)
    }
  })

  it.each(["node16", "bundler"] as const)("types a consumer's imports (moduleResolution %s, strict)", (resolution) => {
    expect(typeCheck("consumer.ts", resolution)).toEqual({ status: 0, output: "" })
  })

  // "node" is the older resolution of Medusa's Next.js starter's tsconfig, which reads
  // `typesVersions`, not `exports` (node16 and bundler check the same file above, in consumer.ts).
  it("types a storefront's use of medusa-payment-desk/storefront (moduleResolution node, strict)", () => {
    expect(typeCheck("storefront.ts", "node")).toEqual({ status: 0, output: "" })
  })

  it("reports a wrong workflow input", () => {
    const { status, output } = typeCheck("misuse.ts", "node16")
    expect(status).not.toBe(0)
    expect(output).toContain("index.ts(4,72): error TS2322: Type 'string' is not assignable to type 'number'")
  })
})
