import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import { bankTransactionViews } from "../../../utils/bank-transaction-view"
import type { AdminListBankTransactionsType } from "../bank-statements/validators"

/**
 * Statement lines by status (`review` is the review queue), import, order or
 * direction; oldest booking first. `count` is exact up to 10,000, else
 * PostgreSQL's estimate (`count_estimated: true`).
 */
export async function GET(req: AuthenticatedMedusaRequest<unknown, AdminListBankTransactionsType>, res: MedusaResponse) {
  const { limit, offset, ...filters } = req.validatedQuery as AdminListBankTransactionsType
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [rows, { count, estimated }] = await Promise.all([
    desk.listBankTransactions(filters as never, { skip: offset, take: limit, order: { booking_date: "ASC", line: "ASC", id: "ASC" } }),
    desk.countListRows("BankTransaction", filters as Record<string, unknown>),
  ])
  const statementIds = [...new Set(rows.map((row) => row.bank_statement_id))]
  const statements = statementIds.length
    ? await desk.listBankStatements({ id: statementIds }, { select: ["id", "file_name"] })
    : []
  res.json({
    bank_transactions: await bankTransactionViews(req.scope, rows as never, statements),
    count,
    count_estimated: estimated,
    limit,
    offset,
  })
}
