import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import { importBankStatementWorkflow } from "../../../../workflows/bank-statements/import-bank-statement"
import { answerConflicts } from "../../../utils/answer-conflicts"
import { bankStatementViews } from "../../../utils/bank-transaction-view"
import { requestContext } from "../../../utils/request-context"
import { hasPermission } from "../../../utils/require-permission"
import type { UploadedStatement } from "../../../utils/statement-upload"
import { holdUpload, releaseUpload } from "../../../../utils/bank-statements/uploads"
import type { AdminImportBankStatementType, AdminListBankStatementsType } from "./validators"

/**
 * Imports a bank statement file (multipart `file`, optional `format` and `profile`): exact matches are recorded, the rest waits for
 * review. With more lines to book than `bank_statements.inline_booking_limit` it answers once they are stored, with `booking` and
 * `booking_progress`, while the workers book them.
 */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminImportBankStatementType>, res: MedusaResponse) => {
  const file = (req as unknown as { file?: UploadedStatement }).file
  if (!file) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "file: attach the statement file in the form field `file`")
  }
  const { actor, ip, user_agent } = requestContext(req)
  // The file stays in this process; the workflow's input carries its id, not 13 MB of base64.
  const uploadId = holdUpload(file.buffer)
  try {
    const { result } = await importBankStatementWorkflow(req.scope).run({
      input: {
        file_name: file.originalname,
        upload_id: uploadId,
        format: req.validatedBody.format ?? null,
        profile: req.validatedBody.profile ?? null,
        actor,
        ip,
        user_agent,
        may_record_payouts: await hasPermission(req, "refund"),
      },
    })
    const [bankStatement] = await bankStatementViews(req.scope, [result.bank_statement])
    res.status(201).json({ bank_statement: bankStatement })
  } finally {
    releaseUpload(uploadId)
  }
})

/** The imports, newest first, with what each did. */
export async function GET(req: AuthenticatedMedusaRequest<unknown, AdminListBankStatementsType>, res: MedusaResponse) {
  const { limit, offset } = req.validatedQuery as AdminListBankStatementsType
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [rows, count] = await desk.listAndCountBankStatements({ status: "imported" }, { skip: offset, take: limit, order: { created_at: "DESC", id: "DESC" } })
  res.json({ bank_statements: await bankStatementViews(req.scope, rows as never), count, limit, offset })
}
