import { generateEntityId, InjectTransactionManager, MathBN, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import type { ParsedBankLine, SkippedEntryReport } from "../../types/bank-statements"
import type { BankTransactionRow, BankTransactionStatus } from "./models/bank-transaction"
import { ClosureData } from "./closures"
import { moveStatus, transactionOf } from "./service-base"

/** A bank line's compare-and-set: from one of the expected statuses to another, with the fields that change. */
export type BankTransactionTransition = {
  id: string
  from: BankTransactionStatus[]
  to: BankTransactionStatus
  patch?: Record<string, unknown>
}

/**
 * A statement line as the importer stores it (ids and the import's id are
 * given by the service): the parsed line's fields, the account and dedupe key
 * it is stored under, and the matcher's decision. Derived from
 * {@link ParsedBankLine}, so a field added there must be stored (or added to
 * the omitted ones here) before the importer compiles again.
 */
export type BankTransactionInsert = Omit<
  ParsedBankLine,
  // Folded into `account`, or only read while matching: there are no columns for them.
  "account_iban" | "account_number" | "reversal" | "customer_reference"
> & {
  /** Whether the bank marked the line a reversal. */
  reversal: boolean
  account: string
  dedupe_key: string
  status: BankTransactionStatus
  match_type: string
  amount_match: string | null
  order_id: string | null
  suggested_order_ids: string[]
  excess_amount: string | null
  refund_request_id: string | null
  review_reason: string | null
}

/** A stored statement line: its id and status. */
export type StoredLine = { id: string; status: BankTransactionStatus }

const BANK_TRANSACTION_COLUMNS = [
  "id", "bank_statement_id", "line", "account", "dedupe_key", "bank_transaction_id", "direction", "amount",
  "raw_amount", "currency_code", "booking_date", "value_date", "remittance", "structured_reference",
  "end_to_end_id", "counterparty_name", "counterparty_iban", "reversal", "status", "match_type", "amount_match", "order_id",
  "suggested_order_ids", "excess_amount", "raw_excess_amount", "refund_request_id", "review_reason",
] as const
// Every field of an insert has a column above: a field added to a parsed line fails to compile here until it is stored.
type NoUnstoredField<Field extends never> = Field
type BankTransactionFieldsStored = NoUnstoredField<Exclude<keyof BankTransactionInsert, (typeof BANK_TRANSACTION_COLUMNS)[number]>>
const BANK_TRANSACTION_COLUMN_TYPES = [
  "id text", "bank_statement_id text", "line integer", "account text", "dedupe_key text", "bank_transaction_id text",
  "direction text", "amount numeric", "raw_amount jsonb", "currency_code text", "booking_date timestamptz",
  "value_date timestamptz", "remittance text", "structured_reference text", "end_to_end_id text",
  "counterparty_name text", "counterparty_iban text", "reversal boolean", "status text", "match_type text", "amount_match text",
  "order_id text", "suggested_order_ids jsonb", "excess_amount numeric", "raw_excess_amount jsonb",
  "refund_request_id text", "review_reason text",
].join(", ")

/** Bank statement imports: lines stored once per account and key, moved by compare-and-set, summed up on their import. */
export abstract class BankStatementData extends ClosureData {
  /**
   * Stores an import and its lines in one transaction: a line already stored
   * (same account and dedupe key, from this file or an earlier one) is
   * skipped, so importing a file twice stores nothing twice. A stored line
   * that holds the key but is not the same (another booking day, amount or
   * direction: a bank reusing a reference) does not make a duplicate: the line
   * is stored under its `fallback_keys` entry instead. Every skipped line is
   * written on the import's `skipped` list, naming the earlier line (import,
   * file and line) it duplicates, after the entries the parser skipped.
   */
  @InjectTransactionManager()
  async storeBankStatement(
    input: {
      statement: Record<string, unknown>
      transactions: BankTransactionInsert[]
      /** Per transaction, the key to store it under when its own key names a different stored line (null: none). */
      fallback_keys?: (string | null)[]
      /** Entries of the file that give no line (pending, zero amount, other account), in the import's report. */
      skipped?: SkippedEntryReport[]
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ statement_id: string; inserted: StoredLine[]; duplicates: StoredLine[] }> {
    const knex = transactionOf(sharedContext)
    const statementId = generateEntityId(undefined, "pdbst")
    await knex("payment_desk_bank_statement").insert({
      ...input.statement,
      id: statementId,
      statement_ids: JSON.stringify(input.statement.statement_ids ?? []),
      accounts: JSON.stringify(input.statement.accounts ?? []),
    })
    const rows = input.transactions.map((row) => ({
      ...row,
      id: generateEntityId(undefined, "pdbtx"),
      bank_statement_id: statementId,
      raw_amount: { value: row.amount, precision: 20 },
      raw_excess_amount: row.excess_amount === null ? null : { value: row.excess_amount, precision: 20 },
      suggested_order_ids: { ids: row.suggested_order_ids },
    }))
    type Row = (typeof rows)[number]
    const insert = async (batch: Row[]): Promise<StoredLine[]> => {
      const stored: StoredLine[] = []
      // One statement per chunk, the rows travelling as one JSON parameter.
      for (let start = 0; start < batch.length; start += 2000) {
        const chunk = batch.slice(start, start + 2000)
        const result = await knex.raw(
          `insert into "payment_desk_bank_transaction" (${BANK_TRANSACTION_COLUMNS.map((c) => `"${c}"`).join(", ")})
           select ${BANK_TRANSACTION_COLUMNS.map((c) => `x."${c}"`).join(", ")}
           from jsonb_to_recordset(?::jsonb) as x(${BANK_TRANSACTION_COLUMN_TYPES})
           on conflict ("account", "dedupe_key") where "deleted_at" is null do nothing
           returning "id", "status"`,
          [JSON.stringify(chunk)]
        )
        stored.push(...(result.rows as StoredLine[]))
      }
      return stored
    }
    type Holder = StoredLine & { account: string; dedupe_key: string; bank_statement_id: string; line: number; file_name: string; day: string; direction: string; amount: string }
    const holders = async (batch: Row[]): Promise<Map<string, Holder>> => {
      const found = new Map<string, Holder>()
      for (let start = 0; start < batch.length; start += 2000) {
        const chunk = batch.slice(start, start + 2000)
        const held = await knex("payment_desk_bank_transaction as t")
          .join("payment_desk_bank_statement as s", "s.id", "t.bank_statement_id")
          .select("t.id", "t.status", "t.account", "t.dedupe_key", "t.bank_statement_id", "t.line", "s.file_name", "t.direction")
          .select(knex.raw(`to_char(t.booking_date, 'YYYY-MM-DD') as day`), knex.raw(`t.amount::text as amount`))
          .whereNull("t.deleted_at")
          .whereIn(["t.account", "t.dedupe_key"], chunk.map((row) => [row.account, row.dedupe_key]))
        for (const holder of held as Holder[]) {
          found.set(`${holder.account}\u001f${holder.dedupe_key}`, holder)
        }
      }
      return found
    }
    const sameLine = (row: Row, holder: Holder) =>
      holder.day === row.booking_date && holder.direction === row.direction && MathBN.eq(holder.amount, row.amount)

    const inserted = await insert(rows)
    const fresh = new Set(inserted.map((row) => row.id))
    const fallbacks = new Map(rows.map((row, index) => [row.id, input.fallback_keys?.[index] ?? null]))
    let skippedRows = rows.filter((row) => !fresh.has(row.id))
    let held = await holders(skippedRows)
    // A key held by a different line: the line is new, under its fallback key.
    const rekeyed = skippedRows
      .filter((row) => {
        const holder = held.get(`${row.account}\u001f${row.dedupe_key}`)
        return holder && !sameLine(row, holder) && fallbacks.get(row.id)
      })
      .map((row) => ({ ...row, dedupe_key: fallbacks.get(row.id) as string }))
    if (rekeyed.length) {
      const again = await insert(rekeyed)
      inserted.push(...again)
      again.forEach((row) => fresh.add(row.id))
      const rekeyedIds = new Set(rekeyed.map((row) => row.id))
      skippedRows = [...skippedRows.filter((row) => !rekeyedIds.has(row.id)), ...rekeyed.filter((row) => !fresh.has(row.id))]
      held = await holders(skippedRows)
    }
    const duplicates: StoredLine[] = []
    const report: SkippedEntryReport[] = [...(input.skipped ?? [])]
    for (const row of skippedRows) {
      const holder = held.get(`${row.account}\u001f${row.dedupe_key}`)
      if (holder) {
        duplicates.push({ id: holder.id, status: holder.status })
      }
      report.push({
        line: row.line,
        reason: "duplicate",
        direction: row.direction,
        amount: row.amount,
        currency_code: row.currency_code,
        booking_date: row.booking_date,
        account: row.account,
        duplicate_of: holder
          ? { bank_statement_id: holder.bank_statement_id, file_name: holder.file_name, line: holder.line, bank_transaction_id: holder.id }
          : null,
      })
    }
    report.sort((a, b) => a.line - b.line)
    await knex("payment_desk_bank_statement").where({ id: statementId }).update({ skipped: JSON.stringify(report) })
    return { statement_id: statementId, inserted, duplicates }
  }

  /**
   * Moves a bank transaction from an expected status to another
   * (compare-and-set): null when it was not in `from`, so of two people
   * deciding one line at once exactly one wins.
   */
  @InjectTransactionManager()
  async transitionBankTransaction(
    transition: BankTransactionTransition,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<BankTransactionRow | null> {
    if (!(await this.moveBankTransaction(transition, sharedContext))) {
      return null
    }
    return (await this.retrieveBankTransaction(transition.id, {}, sharedContext)) as unknown as BankTransactionRow
  }

  /**
   * The compare-and-set of {@link transitionBankTransaction} without reading
   * the line back: whether it moved (one statement, for the import's loop).
   */
  @InjectTransactionManager()
  async moveBankTransaction(transition: BankTransactionTransition, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    const patch: Record<string, unknown> = { ...(transition.patch ?? {}) }
    if ("excess_amount" in patch) {
      const excess = patch.excess_amount as string | null
      patch.raw_excess_amount = excess === null ? null : JSON.stringify({ value: excess, precision: 20 })
    }
    if ("suggested_order_ids" in patch) {
      patch.suggested_order_ids = JSON.stringify({ ids: patch.suggested_order_ids ?? [] })
    }
    return moveStatus(sharedContext, "payment_desk_bank_transaction", { ...transition, patch })
  }

  /**
   * Takes a failed import back out: its lines that booked nothing, and the
   * import itself unless some of its lines booked money meanwhile.
   */
  @InjectTransactionManager()
  async discardBankStatement(id: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    const knex = transactionOf(sharedContext)
    await knex("payment_desk_bank_transaction")
      .where({ bank_statement_id: id })
      .whereNotIn("status", ["recorded", "matched"])
      .delete()
    const [{ n }] = await knex("payment_desk_bank_transaction").count({ n: "*" }).where({ bank_statement_id: id })
    if (Number(n) === 0) {
      await knex("payment_desk_bank_statement").where({ id }).delete()
    }
  }

  /** Counts an import's lines by status and writes the figures on the import. */
  @InjectTransactionManager()
  async summarizeBankStatement(
    input: { id: string; duplicates: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const knex = transactionOf(sharedContext)
    const counts = await knex("payment_desk_bank_transaction")
      .select("status", "direction", "refund_request_id")
      .count({ n: "*" })
      .where({ bank_statement_id: input.id })
      .whereNull("deleted_at")
      .groupBy("status", "direction", "refund_request_id")
    const sum = (test: (row: { status: string; direction: string; refund_request_id: string | null }) => boolean) =>
      counts.filter((row) => test(row as never)).reduce((total, row) => total + Number(row.n), 0)
    await knex("payment_desk_bank_statement")
      .where({ id: input.id })
      .update({
        recorded: sum((row) => row.status === "recorded" && row.direction === "credit"),
        payouts_recorded: sum((row) => row.status === "recorded" && row.direction === "debit"),
        review: sum((row) => row.status === "review" || row.status === "matched"),
        ignored: sum((row) => row.status === "ignored"),
        duplicates: input.duplicates,
        updated_at: new Date(),
      })
  }
}
