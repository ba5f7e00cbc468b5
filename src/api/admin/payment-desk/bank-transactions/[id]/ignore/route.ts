import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ignoreBankTransactionWorkflow } from "../../../../../../workflows/bank-statements/ignore-bank-transaction"
import { answerConflicts } from "../../../../../utils/answer-conflicts"
import { bankTransactionView } from "../../../../../utils/bank-transaction-view"
import { requestContext } from "../../../../../utils/request-context"
import type { AdminIgnoreBankTransactionType } from "../../../bank-statements/validators"

/** Sets a line waiting for review aside with a note (who and when are kept); it records nothing. */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminIgnoreBankTransactionType>, res: MedusaResponse) => {
  const { result } = await ignoreBankTransactionWorkflow(req.scope).run({
    input: { bank_transaction_id: req.params.id, note: req.validatedBody.note, actor: requestContext(req).actor },
  })
  const view = await bankTransactionView(req.scope, result.bank_transaction as never)
  res.json({ bank_transaction: view })
})
