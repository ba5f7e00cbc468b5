import { model } from "@medusajs/framework/utils"
import type { InferTypeOf } from "@medusajs/framework/types"

/** Where an import is: its lines being stored (`staging`, hidden) or all stored (`imported`). */
export const BANK_STATEMENT_STATUSES = ["staging", "imported"] as const

/**
 * One imported bank statement file and what its import did: how many lines
 * it had, how many were credits, recorded, left for review, ignored, or
 * skipped as already imported.
 */
const BankStatement = model
  .define("payment_desk_bank_statement", {
    id: model.id({ prefix: "pdbst" }).primaryKey(),
    file_name: model.text(),
    format: model.text(),
    /** SHA-256 of the file's bytes. */
    checksum: model.text(),
    /** The statement ids the file holds. */
    statement_ids: model.json().nullable(),
    /** The store accounts (IBANs or account numbers) the file is for. */
    accounts: model.json().nullable(),
    lines: model.number().default(0),
    credits: model.number().default(0),
    debits: model.number().default(0),
    recorded: model.number().default(0),
    review: model.number().default(0),
    ignored: model.number().default(0),
    duplicates: model.number().default(0),
    /** Entries the file holds (lines read plus entries that gave none): the stored lines plus `skipped` add up to it. */
    entries: model.number().default(0),
    /** Every entry stored as no line, and why: `{ line, reason, direction, amount, currency_code, booking_date, account?, duplicate_of? }[]`. */
    skipped: model.json().nullable(),
    payouts_recorded: model.number().default(0),
    /** Lines this import handed to the workers to book (0: it booked its lines in the upload itself). */
    to_book: model.number().default(0),
    /** Of those, lines still `matched`: being booked (0 once every batch is done). */
    booking: model.number().default(0),
    /** Whether the uploader held the refund permission: the workers (and the scheduled pickup) book its payout debits. */
    book_payouts: model.boolean().default(false),
    imported_by_type: model.enum(["user", "system"]).default("user"),
    imported_by_id: model.text().nullable(),
    imported_by_email: model.text().nullable(),
    /** `staging` while its lines are stored page by page (nothing of it is shown), `imported` once they all are. */
    status: model.enum([...BANK_STATEMENT_STATUSES]).default("imported"),
    /** Rows the file marks pending (a CSV profile's `pending_values`), read and not imported. */
    pending: model.number().default(0),
    /** Rows without a date at the end of a CSV file (balances, totals), read and not imported: `[{ line, text }]`. */
    summary_rows: model.json().nullable(),
  })
  .indexes([{ on: ["created_at"] }, { on: ["status"] }])

/** A bank statement import as stored. */
export type BankStatementRow = InferTypeOf<typeof BankStatement>

export default BankStatement
