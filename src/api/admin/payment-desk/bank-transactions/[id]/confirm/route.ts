import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { recordBankTransactionWorkflow } from "../../../../../../workflows/bank-statements/record-bank-transaction"
import { answerConflicts } from "../../../../../utils/answer-conflicts"
import { bankTransactionView } from "../../../../../utils/bank-transaction-view"
import { requestContext } from "../../../../../utils/request-context"
import { hasPermission } from "../../../../../utils/require-permission"
import type { AdminConfirmBankTransactionType } from "../../../bank-statements/validators"

/** Records a line waiting for review on its suggested order, or on `order_id` (a partial payment as it is; an over-payment up to what is owed). */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminConfirmBankTransactionType>, res: MedusaResponse) => {
  const { actor, ip, user_agent } = requestContext(req)
  const { result } = await recordBankTransactionWorkflow(req.scope).run({
    input: {
      bank_transaction_id: req.params.id,
      from: ["review"],
      order_id: req.validatedBody.order_id ?? null,
      note: req.validatedBody.note ?? null,
      decided: true,
      actor,
      ip,
      user_agent,
      may_record_payouts: await hasPermission(req, "refund"),
    },
  })
  const view = await bankTransactionView(req.scope, result.bank_transaction as never)
  res.json({ bank_transaction: view })
})
