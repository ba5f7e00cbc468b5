import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { bookBankReversalWorkflow } from "../../../../../../workflows/bank-statements/book-bank-reversal"
import { answerConflicts } from "../../../../../utils/answer-conflicts"
import { bankTransactionView } from "../../../../../utils/bank-transaction-view"
import { requestContext } from "../../../../../utils/request-context"
import { hasPermission } from "../../../../../utils/require-permission"
import type { AdminBookBankReversalType } from "../../../bank-statements/validators"

/** Books a reversed credit waiting for review as a refund of the order's receipt that the bank already paid back. */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminBookBankReversalType>, res: MedusaResponse) => {
  const { actor, ip, user_agent } = requestContext(req)
  const { result } = await bookBankReversalWorkflow(req.scope).run({
    input: {
      bank_transaction_id: req.params.id,
      note: req.validatedBody.note ?? null,
      actor,
      ip,
      user_agent,
      may_refund: await hasPermission(req, "refund"),
    },
  })
  const view = await bankTransactionView(req.scope, result.bank_transaction as never)
  res.json({ bank_transaction: view, refund_request: result.refund_request })
})
