import { model } from "@medusajs/framework/utils"
import type { InferTypeOf } from "@medusajs/framework/types"

/**
 * Where a statement line stands: `matched` (an order was found and the line is
 * being recorded), `recorded` (the receipt or payout was booked), `review`
 * (waiting for a person), `ignored` (not for the desk, or ignored by a person).
 */
export const BANK_TRANSACTION_STATUSES = ["matched", "recorded", "review", "ignored"] as const
/** One of {@link BANK_TRANSACTION_STATUSES}. */
export type BankTransactionStatus = (typeof BANK_TRANSACTION_STATUSES)[number]

/** How a line found its order: a creditor reference, the order number in the text, a payout's end-to-end id, a person, or not at all. */
export const BANK_MATCH_TYPES = ["reference", "order_number", "end_to_end_id", "manual", "none"] as const
/** One of {@link BANK_MATCH_TYPES}. */
export type BankMatchType = (typeof BANK_MATCH_TYPES)[number]

/** How the amount compares with what the order still owes. */
export const BANK_AMOUNT_MATCHES = ["exact", "partial", "over", "currency_mismatch", "nothing_due"] as const
/** One of {@link BANK_AMOUNT_MATCHES}. */
export type BankAmountMatch = (typeof BANK_AMOUNT_MATCHES)[number]

/**
 * One booked line of a bank statement: unique per account and the bank's
 * transaction id (or a hash of the line's fields when the bank gives none),
 * so a file imported twice, or two overlapping files, yield each line once.
 */
const BankTransaction = model
  .define("payment_desk_bank_transaction", {
    id: model.id({ prefix: "pdbtx" }).primaryKey(),
    bank_statement_id: model.text(),
    /** The file's line (entry or row) the transaction came from. */
    line: model.number(),
    /** The store's account: IBAN, or the account number when the bank gives no IBAN. */
    account: model.text(),
    /** The bank's own id of the transaction, or `hash:<sha256 of the fields>` when it gives none. */
    dedupe_key: model.text(),
    bank_transaction_id: model.text().nullable(),
    direction: model.enum(["credit", "debit"]),
    amount: model.bigNumber(),
    currency_code: model.text(),
    booking_date: model.dateTime(),
    value_date: model.dateTime().nullable(),
    remittance: model.text().nullable(),
    structured_reference: model.text().nullable(),
    end_to_end_id: model.text().nullable(),
    counterparty_name: model.text().nullable(),
    counterparty_iban: model.text().nullable(),
    /** A reversal (CAMT `RvslInd`, MT940 `RC`/`RD`): the bank took a payment back. */
    reversal: model.boolean().default(false),
    status: model.enum([...BANK_TRANSACTION_STATUSES]),
    match_type: model.enum([...BANK_MATCH_TYPES]).default("none"),
    amount_match: model.enum([...BANK_AMOUNT_MATCHES]).nullable(),
    /** The order the line pays (or was recorded against). */
    order_id: model.text().nullable(),
    /** Orders a reviewer may pick, best first: `{ ids: string[] }`. */
    suggested_order_ids: model.json().nullable(),
    /** What was received beyond the order's total: flagged, never captured. */
    excess_amount: model.bigNumber().nullable(),
    /** The receipt's audit entry, once recorded. */
    audit_entry_id: model.text().nullable(),
    /** The refund whose payout this debit is. */
    refund_request_id: model.text().nullable(),
    /** Why the line waits for review, in words. */
    review_reason: model.text().nullable(),
    decided_by_id: model.text().nullable(),
    decided_by_email: model.text().nullable(),
    decided_at: model.dateTime().nullable(),
    decision_note: model.text().nullable(),
  })
  .indexes([
    { on: ["account", "dedupe_key"], unique: true },
    { on: ["bank_statement_id", "line"] },
    { on: ["status", "booking_date"] },
    { on: ["booking_date", "line", "id"] },
    { on: ["order_id"], where: "order_id IS NOT NULL" },
    { on: ["end_to_end_id"], where: "end_to_end_id IS NOT NULL" },
    // The scheduled pickup of lines left `matched` (a booking batch that was lost).
    { on: ["updated_at"], where: "status = 'matched'" },
  ])

/** A bank transaction as stored. */
export type BankTransactionRow = InferTypeOf<typeof BankTransaction>

export default BankTransaction
