// `medusa exec` target of the kill test: a second Medusa process issues a
// refund and dies between Stripe's answer and Medusa's books: the test wraps
// the payment module's refund writer (the first write after Stripe answered)
// so that it kills the process. Nothing in src/ knows about it.
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { issueRefundWorkflow } from "../../src/workflows/refunds/issue-refund"

export default async function crashRefund({ container }: ExecArgs) {
  const payments = container.resolve(Modules.PAYMENT) as unknown as { createRefunds: (...args: unknown[]) => unknown }
  payments.createRefunds = () => process.exit(86)
  await issueRefundWorkflow(container).run({
    input: {
      order_id: process.env.CRASH_ORDER_ID!,
      amount: Number(process.env.CRASH_AMOUNT),
      actor: { type: "user", id: null },
    },
  })
  process.stdout.write("refund finished without crashing\n")
}
