// `medusa exec` target of the receipt kill tests: a second Medusa process
// records a receipt and dies at CRASH_AT:
//   capture: as Medusa's capture is called (the receipt is written, nothing captured)
//   mark:    right after the capture (before the receipt learns its capture id)
//   audit:   as the audit entry is written (capture and order transaction stand)
//   recorded: right after the audit entry is written, before the receipt is
//            marked recorded with it (the two share one transaction)
// With CRASH_IDEMPOTENCY_SCOPE it first claims the Idempotency-Key as the
// route's middleware does, so the test's retry over HTTP meets the key the
// dead request left. With CRASH_BANK_TRANSACTION_ID it confirms that bank
// line from review instead. The test wraps nothing in src/.
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"
import { requestHash } from "../../src/api/utils/idempotency"
import { recordPaymentWorkflow } from "../../src/workflows/receipts/record-payment"
import { recordBankTransactionWorkflow } from "../../src/workflows/bank-statements/record-bank-transaction"

const die = () => process.exit(86)

export default async function crashReceipt({ container }: ExecArgs) {
  const env = process.env
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const wrapped = desk as unknown as Record<string, unknown>
  const payments = container.resolve(Modules.PAYMENT) as unknown as Record<string, unknown>
  if (env.CRASH_AT === "capture") payments.capturePayment = die
  if (env.CRASH_AT === "mark") wrapped.transitionReceipt = die
  if (env.CRASH_AT === "audit") wrapped.appendAuditEntries = die
  if (env.CRASH_AT === "recorded") {
    const append = desk.appendAuditEntries.bind(desk)
    wrapped.appendAuditEntries = async (...args: Parameters<typeof append>) => {
      await append(...args)
      die()
    }
  }

  const actor = { type: "user" as const, id: env.CRASH_ACTOR_ID! }
  if (env.CRASH_BANK_TRANSACTION_ID) {
    await recordBankTransactionWorkflow(container).run({
      input: { bank_transaction_id: env.CRASH_BANK_TRANSACTION_ID, order_id: env.CRASH_ORDER_ID, decided: true, actor },
    })
  } else {
    const body = JSON.parse(env.CRASH_BODY!) as { amount: number; method: string }
    const key = env.CRASH_IDEMPOTENCY_KEY ?? null
    if (key) {
      await desk.claimIdempotencyKey({ scope: env.CRASH_IDEMPOTENCY_SCOPE!, key, request_hash: requestHash(body) })
    }
    await recordPaymentWorkflow(container).run({
      input: {
        ...body,
        order_id: env.CRASH_ORDER_ID!,
        actor,
        idempotency_key: key,
        request_key: key ? `${env.CRASH_IDEMPOTENCY_SCOPE}|${key}` : null,
      },
    })
  }
  process.stdout.write("receipt finished without crashing\n")
}
