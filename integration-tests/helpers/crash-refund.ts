// `medusa exec` target of the kill test: a second Medusa process issues a
// refund with PAYMENT_DESK_TEST_CRASH_AFTER_PROVIDER_CALL=1, so it dies between
// Stripe's answer and the ledger update.
import type { ExecArgs } from "@medusajs/framework/types"
import { issueRefundWorkflow } from "../../src/workflows/issue-refund"

export default async function crashRefund({ container }: ExecArgs) {
  await issueRefundWorkflow(container).run({
    input: {
      order_id: process.env.CRASH_ORDER_ID!,
      amount: Number(process.env.CRASH_AMOUNT),
      actor: { type: "user", id: null },
    },
  })
  process.stdout.write("refund finished without crashing\n")
}
