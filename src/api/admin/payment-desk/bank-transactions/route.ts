import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYMENT_DESK_MODULE } from "../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../modules/payment-desk/service"
import { bankTransactionViews } from "../../../utils/bank-transaction-view"
import type { AdminListBankTransactionsType } from "../bank-statements/validators"
import { bankLineKeyset, encodeBankLineCursor } from "../../../../utils/bank-statements/line-cursor"

/**
 * Statement lines by status (`review` is the review queue), import, order or
 * direction; oldest booking first. `count` is exact up to 10,000, else
 * PostgreSQL's estimate (`count_estimated: true`). Pages by `offset`, or by
 * keyset: `after`/`before` one of the answer's `cursors`, or `page=last`,
 * read through the `(booking_date, line, id)` index however deep.
 */
export async function GET(req: AuthenticatedMedusaRequest<unknown, AdminListBankTransactionsType>, res: MedusaResponse) {
  const { limit, offset, after, before, page, ...filters } = req.validatedQuery as AdminListBankTransactionsType
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  // A page before a cursor, and the last page, are read backwards and turned round.
  const backwards = !!before || page === "last"
  const direction = backwards ? "DESC" : "ASC"
  const cursor = after ? bankLineKeyset(after, "after") : before ? bankLineKeyset(before, "before") : {}
  const [listed, { count, estimated }] = await Promise.all([
    desk.listBankTransactions({ ...filters, ...cursor } as never, {
      skip: after || before || page ? 0 : offset,
      take: limit,
      order: { booking_date: direction, line: direction, id: direction },
    }),
    desk.countListRows("BankTransaction", filters as Record<string, unknown>),
  ])
  const rows = backwards ? [...listed].reverse() : listed
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
    // The next page is `after=cursors.last`, the one before it `before=cursors.first`.
    cursors: {
      first: rows.length ? encodeBankLineCursor(rows[0] as never) : null,
      last: rows.length ? encodeBankLineCursor(rows[rows.length - 1] as never) : null,
    },
  })
}
