import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { exportSepaPayoutsWorkflow } from "../../../../../workflows/refunds/export-sepa-payouts"
import { requestContext } from "../../../../utils/request-context"
import { answerConflicts } from "../../../../utils/answer-conflicts"
import type { AdminExportSepaPayoutsType, AdminPostSepaPayoutsType } from "../../bank-statements/validators"

/** Runs the export and answers the pain.001 file, its export id and message id in headers. */
async function exportFile(
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse,
  params: { execution_date?: string; export_id?: string }
) {
  const { actor, ip, user_agent } = requestContext(req)
  const { result } = await exportSepaPayoutsWorkflow(req.scope).run({
    input: { re_export_of: params.export_id ?? null, execution_date: params.execution_date ?? null, actor, ip, user_agent },
  })
  if (result.skipped.length) {
    res.setHeader("X-Payment-Desk-Skipped", result.skipped.map((s) => s.refund_request_id).join(","))
  }
  res.setHeader("X-Payment-Desk-Export-Id", result.payout_export.id)
  res.setHeader("X-Payment-Desk-Message-Id", result.payout_export.message_id)
  res.setHeader("X-Payment-Desk-Payment-Count", String(result.payout_export.payment_count))
  res.setHeader(
    "Access-Control-Expose-Headers",
    "X-Payment-Desk-Skipped, X-Payment-Desk-Export-Id, X-Payment-Desk-Message-Id, X-Payment-Desk-Payment-Count, Content-Disposition"
  )
  res.setHeader("Content-Type", "application/xml; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="payment-desk-payouts-${result.payout_export.message_id}.xml"`)
  res.status(200).send(result.xml)
}

/**
 * Exports the manual refunds awaiting payout in EUR that no earlier file
 * holds as a SEPA credit transfer file (pain.001.001.03) and marks them
 * exported; `export_id` pays an earlier file's refunds again (a re-export).
 */
export const GET = answerConflicts(async (req: AuthenticatedMedusaRequest<unknown, AdminExportSepaPayoutsType>, res: MedusaResponse) => {
  const { execution_date, export_id } = req.validatedQuery as AdminExportSepaPayoutsType
  await exportFile(req, res, { execution_date, export_id })
})

/** The same export as `GET`, with `{ execution_date?, export_id? }` in the body. */
export const POST = answerConflicts(async (req: AuthenticatedMedusaRequest<AdminPostSepaPayoutsType>, res: MedusaResponse) => {
  await exportFile(req, res, req.validatedBody)
})
