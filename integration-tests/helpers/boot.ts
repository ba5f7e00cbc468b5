// `medusa exec` target of the boot test: reaching it means every module loaded.
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

export default async function boot({ container }: ExecArgs) {
  const providers = await container.resolve(Modules.PAYMENT).listPaymentProviders()
  process.stdout.write(`booted: payment providers ${providers.map((p) => p.id).join(", ")}\n`)
}
