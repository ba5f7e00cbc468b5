import { z } from "@medusajs/framework/zod"
import { BANK_TRANSACTION_STATUSES } from "../../../../modules/payment-desk/models/bank-transaction"
import { BANK_STATEMENT_FORMATS } from "../../../../types/bank-statements"
import { CSV_PROFILE_NAME } from "../../../../modules/payment-desk/csv-profile"
import { lineField, textField } from "../../../utils/text-fields"
import { keysetCursor, offsetOrKeyset, oneKeyset } from "../validators"
import { decodeBankLineCursor } from "../../../../utils/bank-statements/line-cursor"

/** `POST /admin/payment-desk/bank-statements` (multipart/form-data: `file`, and these fields). */
export const AdminImportBankStatement = z
  .object({
    format: z.enum(BANK_STATEMENT_FORMATS).optional(),
    profile: lineField("profile", 100)
      .regex(CSV_PROFILE_NAME, "profile: must be the name of a configured CSV profile (letters, digits, _ . -)")
      .optional(),
  })
  .strict()
export type AdminImportBankStatementType = z.infer<typeof AdminImportBankStatement>

/** `GET /admin/payment-desk/bank-statements` */
export const AdminListBankStatements = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminListBankStatementsType = z.infer<typeof AdminListBankStatements>

const status = z.enum(BANK_TRANSACTION_STATUSES)

/** `GET /admin/payment-desk/bank-transactions` */
export const AdminListBankTransactions = z
  .object({
    /** One line (`pdbtx_…`), e.g. the one a link from the order widget names. */
    id: z.string().min(1).optional(),
    status: z.union([status, z.array(status)]).optional(),
    bank_statement_id: lineField("bank_statement_id").optional(),
    order_id: lineField("order_id").optional(),
    direction: z.enum(["credit", "debit"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
    /** Keyset pages: the lines after or before one of an answer's `cursors`, or the last page. */
    after: keysetCursor("after", decodeBankLineCursor).optional(),
    before: keysetCursor("before", decodeBankLineCursor).optional(),
    page: z.enum(["last"]).optional(),
  })
  .strict()
  .refine(...oneKeyset)
  .refine(...offsetOrKeyset)
export type AdminListBankTransactionsType = z.infer<typeof AdminListBankTransactions>

/** `POST /admin/payment-desk/bank-transactions/:id/confirm`: record the line on its suggested order, or on `order_id`. */
export const AdminConfirmBankTransaction = z
  .object({
    order_id: lineField("order_id").min(1).optional(),
    note: textField("note").nullish(),
  })
  .strict()
export type AdminConfirmBankTransactionType = z.infer<typeof AdminConfirmBankTransaction>

/** `POST /admin/payment-desk/bank-transactions/:id/ignore` */
export const AdminIgnoreBankTransaction = z
  .object({
    note: textField("note").trim().min(1, "note: say why the line is ignored"),
  })
  .strict()
export type AdminIgnoreBankTransactionType = z.infer<typeof AdminIgnoreBankTransaction>

/** `POST /admin/payment-desk/bank-transactions/:id/book-reversal` */
export const AdminBookBankReversal = z
  .object({
    note: textField("note").nullish(),
  })
  .strict()
export type AdminBookBankReversalType = z.infer<typeof AdminBookBankReversal>

const sepaExportFields = {
  /** The day the bank should pay; default today. */
  execution_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "execution_date: must be a date such as 2026-11-24")
    .optional(),
  /** An earlier export (`pdpex_…`) to pay again: an explicit re-export under a new message id. */
  export_id: z.string().regex(/^pdpex_[0-9A-Z]{26}$/, "export_id: must be the id of an earlier export (pdpex_…)").optional(),
}

/** `GET /admin/payment-desk/payouts/sepa` (query) */
export const AdminExportSepaPayouts = z
  .object({
    status: z.literal("awaiting_payout").default("awaiting_payout"),
    ...sepaExportFields,
  })
  .strict()
export type AdminExportSepaPayoutsType = z.infer<typeof AdminExportSepaPayouts>

/** `POST /admin/payment-desk/payouts/sepa` (body) */
export const AdminPostSepaPayouts = z.object(sepaExportFields).strict()
export type AdminPostSepaPayoutsType = z.infer<typeof AdminPostSepaPayouts>

/** `GET /admin/payment-desk/payouts/sepa/exports` */
export const AdminListPayoutExports = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminListPayoutExportsType = z.infer<typeof AdminListPayoutExports>
