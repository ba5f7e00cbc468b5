import { generateEntityId, InjectTransactionManager, MathBN, MedusaContext, MedusaError } from "@medusajs/framework/utils"
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
const STAGED_COLUMNS = [...BANK_TRANSACTION_COLUMNS, "deleted_at"] as const
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
   * Opens an import in the `staging` status (hidden from every list until
   * {@link commitBankStatement}); first removes what imports that never
   * finished left staged more than an hour ago (a crash mid-import). The
   * statement carries its `entries` (lines read plus entries that gave none).
   */
  @InjectTransactionManager()
  async stageBankStatement(statement: Record<string, unknown>, @MedusaContext() sharedContext: Context = {}): Promise<string> {
    const knex = transactionOf(sharedContext)
    const stale = knex("payment_desk_bank_statement")
      .select("id")
      .where({ status: "staging" })
      .where("created_at", "<", new Date(Date.now() - 3_600_000))
    await knex("payment_desk_bank_transaction").whereIn("bank_statement_id", stale).whereNotNull("deleted_at").delete()
    await knex("payment_desk_bank_statement").whereIn("id", stale).delete()
    const statementId = generateEntityId(undefined, "pdbst")
    await knex("payment_desk_bank_statement").insert({
      ...statement,
      id: statementId,
      status: "staging",
      statement_ids: JSON.stringify(statement.statement_ids ?? []),
      accounts: JSON.stringify(statement.accounts ?? []),
      summary_rows: statement.summary_rows === undefined ? null : JSON.stringify(statement.summary_rows),
      skipped: statement.skipped === undefined ? null : JSON.stringify(statement.skipped),
    })
    return statementId
  }

  /**
   * Stores one page of a staging import's lines in one short transaction,
   * hidden (`deleted_at` set) until the import is committed. A line whose key
   * (same account and dedupe key) a stored line holds — from an earlier
   * import, or from this one's earlier pages or lines — is skipped when that
   * line is the same (booking day, direction, amount): a duplicate, reported
   * naming the line it repeats. A key held by a different line (a bank
   * reusing a reference) does not make a duplicate: the line is stored under
   * its `fallback_keys` entry instead.
   */
  @InjectTransactionManager()
  async stageBankTransactions(
    input: {
      bank_statement_id: string
      transactions: BankTransactionInsert[]
      /** Per transaction, the key to store it under when its own key names a different stored line (null: none). */
      fallback_keys?: (string | null)[]
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ inserted: StoredLine[]; duplicates: StoredLine[]; skipped: SkippedEntryReport[] }> {
    const knex = transactionOf(sharedContext)
    type Holder = StoredLine & { bank_statement_id: string; line: number; file_name: string; day: string; direction: string; amount: string }
    const keyOf = (account: string, key: string) => `${account}\u0000${key}`
    const wanted = new Map<string, [string, string]>()
    input.transactions.forEach((row, index) => {
      wanted.set(keyOf(row.account, row.dedupe_key), [row.account, row.dedupe_key])
      const fallback = input.fallback_keys?.[index]
      if (fallback) {
        wanted.set(keyOf(row.account, fallback), [row.account, fallback])
      }
    })
    const held = new Map<string, Holder>()
    const pairs = [...wanted.values()]
    for (let start = 0; start < pairs.length; start += 2000) {
      const found = (await knex("payment_desk_bank_transaction as t")
        .join("payment_desk_bank_statement as s", "s.id", "t.bank_statement_id")
        .select("t.id", "t.status", "t.account", "t.dedupe_key", "t.bank_statement_id", "t.line", "s.file_name", "t.direction")
        .select(knex.raw(`to_char(t.booking_date, 'YYYY-MM-DD') as day`), knex.raw(`t.amount::text as amount`))
        // Visible lines, and the lines this import staged on its earlier pages.
        .where((q) => q.whereNull("t.deleted_at").orWhere("t.bank_statement_id", input.bank_statement_id))
        .whereIn(["t.account", "t.dedupe_key"], pairs.slice(start, start + 2000))) as (Holder & { account: string; dedupe_key: string })[]
      for (const holder of found) {
        held.set(keyOf(holder.account, holder.dedupe_key), holder)
      }
    }
    let fileName: string | null = null
    const fileNameOf = async () => {
      if (fileName === null) {
        const statement = await knex("payment_desk_bank_statement").select("file_name").where({ id: input.bank_statement_id }).first()
        fileName = (statement?.file_name as string | undefined) ?? ""
      }
      return fileName
    }
    const staged = new Date().toISOString()
    const rows: Record<string, unknown>[] = []
    const take = async (row: BankTransactionInsert, dedupeKey: string) => {
      const id = generateEntityId(undefined, "pdbtx")
      rows.push({
        ...row,
        dedupe_key: dedupeKey,
        id,
        bank_statement_id: input.bank_statement_id,
        raw_amount: { value: row.amount, precision: 20 },
        raw_excess_amount: row.excess_amount === null ? null : { value: row.excess_amount, precision: 20 },
        suggested_order_ids: { ids: row.suggested_order_ids },
        deleted_at: staged,
      })
      held.set(keyOf(row.account, dedupeKey), {
        id,
        status: row.status,
        bank_statement_id: input.bank_statement_id,
        line: row.line,
        file_name: await fileNameOf(),
        day: String(row.booking_date).slice(0, 10),
        direction: row.direction,
        amount: String(row.amount),
      })
    }
    const sameLine = (row: BankTransactionInsert, holder: Holder) =>
      holder.day === String(row.booking_date).slice(0, 10) && holder.direction === row.direction && MathBN.eq(holder.amount, row.amount)
    const duplicates: StoredLine[] = []
    const skipped: SkippedEntryReport[] = []
    const duplicate = (row: BankTransactionInsert, holder: Holder) => {
      // Not a line of this import: a repeat within the file is counted, not recorded twice.
      if (holder.bank_statement_id !== input.bank_statement_id) {
        duplicates.push({ id: holder.id, status: holder.status })
      }
      skipped.push({
        line: row.line,
        reason: "duplicate",
        direction: row.direction,
        amount: row.amount,
        currency_code: row.currency_code,
        booking_date: row.booking_date,
        account: row.account,
        duplicate_of: { bank_statement_id: holder.bank_statement_id, file_name: holder.file_name, line: holder.line, bank_transaction_id: holder.id },
      })
    }
    // First every line under its own key, then those whose key another line holds.
    const contested: number[] = []
    for (const [index, row] of input.transactions.entries()) {
      if (held.has(keyOf(row.account, row.dedupe_key))) {
        contested.push(index)
      } else {
        await take(row, row.dedupe_key)
      }
    }
    for (const index of contested) {
      const row = input.transactions[index]
      const holder = held.get(keyOf(row.account, row.dedupe_key)) as Holder
      const fallback = input.fallback_keys?.[index] ?? null
      if (sameLine(row, holder) || !fallback) {
        duplicate(row, holder)
        continue
      }
      const fallbackHolder = held.get(keyOf(row.account, fallback))
      if (fallbackHolder) {
        duplicate(row, fallbackHolder)
      } else {
        await take(row, fallback)
      }
    }
    const inserted: StoredLine[] = []
    if (rows.length) {
      // One statement for the page, the rows travelling as one JSON parameter.
      const result = await knex.raw(
        `insert into "payment_desk_bank_transaction" (${STAGED_COLUMNS.map((c) => `"${c}"`).join(", ")})
         select ${STAGED_COLUMNS.map((c) => `x."${c}"`).join(", ")}
         from jsonb_to_recordset(?::jsonb) as x(${BANK_TRANSACTION_COLUMN_TYPES}, deleted_at timestamptz)
         returning "id", "status"`,
        [JSON.stringify(rows)]
      )
      inserted.push(...(result.rows as StoredLine[]))
    }
    return { inserted, duplicates, skipped }
  }

  /**
   * Shows a staging import and all its lines at once (one short
   * transaction), writing its `skipped` report (every entry stored as no
   * line, with why, by line). When another import stored one of the same
   * lines meanwhile, nothing is shown and a 409 asks to upload the file again.
   */
  @InjectTransactionManager()
  async commitBankStatement(
    id: string,
    report: { skipped?: SkippedEntryReport[] } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const knex = transactionOf(sharedContext)
    const skipped = report.skipped ? [...report.skipped].sort((a, b) => a.line - b.line) : undefined
    const moved = await knex("payment_desk_bank_statement")
      .where({ id, status: "staging" })
      .update({ status: "imported", updated_at: new Date(), ...(skipped ? { skipped: JSON.stringify(skipped) } : {}) })
    if (!moved) {
      throw new MedusaError(MedusaError.Types.CONFLICT, `bank statement ${id} is not being imported any more`)
    }
    try {
      await knex("payment_desk_bank_transaction")
        .where({ bank_statement_id: id })
        .whereNotNull("deleted_at")
        .update({ deleted_at: null, updated_at: new Date() })
    } catch (error) {
      if ((error as { code?: string }).code === "23505") {
        throw new MedusaError(
          MedusaError.Types.CONFLICT,
          "file: another import stored some of the same lines while this one ran; upload the file again to import the rest"
        )
      }
      throw error
    }
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
      .where((q) => q.whereNotIn("status", ["recorded", "matched"]).orWhereNotNull("deleted_at"))
      .delete()
    const [{ n }] = await knex("payment_desk_bank_transaction").count({ n: "*" }).where({ bank_statement_id: id })
    if (Number(n) === 0) {
      await knex("payment_desk_bank_statement").where({ id }).delete()
    }
  }

  /**
   * Counts an import's lines by status and writes the figures on the import.
   * An import whose lines the workers book (`to_book` above 0, given here when
   * it hands them out) counts its lines still `matched` as `booking`; one
   * that booked in the upload counts a line it left `matched` as waiting
   * (`review`), as before. The import's row is locked first, so of two
   * batches summing up at once the later one counts after the earlier one
   * committed: the last summary counts every booking before it.
   */
  @InjectTransactionManager()
  async summarizeBankStatement(
    input: { id: string; duplicates?: number; to_book?: number; book_payouts?: boolean },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const knex = transactionOf(sharedContext)
    const statement = await knex("payment_desk_bank_statement").select("to_book").where({ id: input.id }).forUpdate().first()
    if (!statement) {
      return
    }
    const counts = await knex("payment_desk_bank_transaction")
      .select("status", "direction", "refund_request_id")
      .count({ n: "*" })
      .where({ bank_statement_id: input.id })
      .whereNull("deleted_at")
      .groupBy("status", "direction", "refund_request_id")
    const sum = (test: (row: { status: string; direction: string; refund_request_id: string | null }) => boolean) =>
      counts.filter((row) => test(row as never)).reduce((total, row) => total + Number(row.n), 0)
    const toBook = input.to_book ?? Number(statement.to_book)
    const matched = sum((row) => row.status === "matched")
    await knex("payment_desk_bank_statement")
      .where({ id: input.id })
      .update({
        recorded: sum((row) => row.status === "recorded" && row.direction === "credit"),
        payouts_recorded: sum((row) => row.status === "recorded" && row.direction === "debit"),
        review: sum((row) => row.status === "review") + (toBook > 0 ? 0 : matched),
        ignored: sum((row) => row.status === "ignored"),
        booking: toBook > 0 ? matched : 0,
        ...(input.duplicates === undefined ? {} : { duplicates: input.duplicates }),
        ...(input.to_book === undefined ? {} : { to_book: input.to_book }),
        ...(input.book_payouts === undefined ? {} : { book_payouts: input.book_payouts }),
        updated_at: new Date(),
      })
  }

  /**
   * A worker's claim on a batch of lines it is about to book: stamps the
   * lines still `matched` (their `updated_at`), so the scheduled pickup
   * leaves a batch being booked alone and, should its worker die, hands its
   * lines out again under a new stamp. Returns the ids still `matched`;
   * throws when it cannot read them (nothing is booked then).
   */
  @InjectTransactionManager()
  async stampBankTransactionsForBooking(ids: string[], @MedusaContext() sharedContext: Context = {}): Promise<string[]> {
    if (!ids.length) {
      return []
    }
    const knex = transactionOf(sharedContext)
    const rows = (await knex("payment_desk_bank_transaction")
      .whereIn("id", ids)
      .where({ status: "matched" })
      .whereNull("deleted_at")
      .update({ updated_at: new Date() })
      .returning("id")) as { id: string }[]
    return rows.map((row) => row.id)
  }
}
