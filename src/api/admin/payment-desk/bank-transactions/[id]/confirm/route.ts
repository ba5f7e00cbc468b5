import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../../../modules/payment-desk/service"
import { recordBankTransactionWorkflow } from "../../../../../../workflows/bank-statements/record-bank-transaction"
import { answerConflicts } from "../../../../../utils/answer-conflicts"
import { bankTransactionViews } from "../../../../../utils/bank-transaction-view"
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
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const statements = await desk.listBankStatements({ id: result.bank_transaction.bank_statement_id }, { select: ["id", "file_name"] })
  const [view] = await bankTransactionViews(req.scope, [result.bank_transaction as never], statements)
  res.json({ bank_transaction: view })
})
