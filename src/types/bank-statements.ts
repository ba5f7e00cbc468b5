/** Statement formats the importer reads. */
export const BANK_STATEMENT_FORMATS = ["camt.053", "camt.054", "mt940", "csv"] as const
/** One of {@link BANK_STATEMENT_FORMATS}. */
export type BankStatementFormat = (typeof BANK_STATEMENT_FORMATS)[number]

/** Whether money came in (`credit`) or went out (`debit`) of the statement's account. */
export type BankLineDirection = "credit" | "debit"

/**
 * One booked line of a bank statement, the same whatever the format: one
 * per transaction detail (a batched CAMT entry gives one line per `TxDtls`).
 */
export type ParsedBankLine = {
  /** Where the line is in the file, for messages and the audit: the CAMT entry's position (1-based, across statements), the MT940 `:61:` line's number, the CSV row's line in the file (the header is line 1, or `skip_lines + 1` after a preamble). */
  line: number
  /** The statement's own account: IBAN in electronic form (no spaces, upper case) when the bank gives one. */
  account_iban: string | null
  /** The account as written when it is not an IBAN (MT940 `:25:` may be `BLZ/number`). */
  account_number: string | null
  direction: BankLineDirection
  /** Positive amount as a decimal string with a dot, never more decimals than the currency has, e.g. `"110.00"`. */
  amount: string
  /** ISO 4217, lower case. */
  currency_code: string
  /** `YYYY-MM-DD`. */
  booking_date: string
  /** `YYYY-MM-DD` or null. */
  value_date: string | null
  /** Unstructured remittance text, parts joined with a space; null when empty. */
  remittance: string | null
  /** Structured creditor reference as given (e.g. `RF18539007547034`), spaces removed; null when none. */
  structured_reference: string | null
  /** End-to-end id (CAMT `Refs/EndToEndId`, MT940 `EREF+`); `NOTPROVIDED` becomes null. */
  end_to_end_id: string | null
  /** The other party: the payer of a credit, the payee of a debit. */
  counterparty_name: string | null
  /** The other party's IBAN in electronic form. */
  counterparty_iban: string | null
  /** The bank's own id of the transaction (`AcctSvcrRef`, `TxId`, `NtryRef`, MT940 bank reference); null when the bank gives none. */
  bank_transaction_id: string | null
  /**
   * The line undoes an earlier booking (CAMT `RvslInd`, MT940 `RC`/`RD`).
   * `direction` is already the direction of this booking: a returned
   * credit is a debit. Absent (CSV) means not known to be a reversal.
   */
  reversal?: boolean
  /** The payer's own reference when the bank passes it on (MT940 `KREF+`); absent when none. */
  customer_reference?: string | null
}

/** Why an entry of a file gives no line: not booked yet (CAMT `PDNG`/`INFO`), or an amount of zero. */
export const SKIPPED_ENTRY_REASONS = ["pending", "zero_amount"] as const
/** One of {@link SKIPPED_ENTRY_REASONS}. */
export type SkippedEntryReason = (typeof SKIPPED_ENTRY_REASONS)[number]

/** An entry of the file that gives no line, and why: listed in the import's report so every entry is accounted for. */
export type SkippedBankEntry = {
  /** Where it is in the file, counted as {@link ParsedBankLine.line}. */
  line: number
  reason: SkippedEntryReason
  direction: BankLineDirection | null
  /** As written in the file (a plain decimal), or null when absent. */
  amount: string | null
  /** ISO 4217, lower case, or null. */
  currency_code: string | null
  booking_date: string | null
}

/**
 * An entry of an imported file stored as no line, and why: a `duplicate` of
 * an earlier stored line (named: import, file, line), `pending` (not booked
 * yet), `zero_amount`, or `other_account` (a statement of the file on an
 * account the store does not hold).
 */
export type SkippedEntryReport = {
  line: number
  reason: "duplicate" | "pending" | "zero_amount" | "other_account"
  direction: string | null
  amount: string | null
  currency_code: string | null
  booking_date: string | null
  /** The account as the file names it (or the store's, for a duplicate). */
  account?: string | null
  duplicate_of?: { bank_statement_id: string; file_name: string; line: number; bank_transaction_id: string } | null
}

/** A parsed statement file: its format, every booked line of every statement in it, and the entries that gave none. */
export type ParsedBankStatementFile = {
  format: BankStatementFormat
  /** The statement ids the file holds (CAMT `Stmt/Id`/`Ntfctn/Id`, MT940 `:20:`/`:28C:`), for the import's summary. */
  statement_ids: string[]
  lines: ParsedBankLine[]
  /** Entries that give no line (pending, zero amount); absent means none. Lines plus these are the file's entries. */
  skipped?: SkippedBankEntry[]
  /** Rows read but not imported (CSV): those the status column marks pending, and summary rows at the end of the file. */
  csv_rows_skipped?: { pending: SkippedRow[]; summary_rows: SkippedRow[] }
}

/** A row of a statement file that was read and deliberately not imported: its line and its text (at most 200 characters). */
export type SkippedRow = { line: number; text: string }

/**
 * How a bank's CSV export is read: saved per bank under the plugin option
 * `bank_statements.csv_profiles.<name>`.
 */
export type CsvProfile = {
  /** Column separator; default `;`. */
  delimiter?: string
  /** `utf-8` (default) or a single-byte code page: `windows-1252`, `latin1`, `iso-8859-15`, `windows-1250`, `iso-8859-2`, `windows-1251`, `windows-1257`. */
  encoding?: "utf-8" | "windows-1252" | "latin1" | "iso-8859-15" | "windows-1250" | "iso-8859-2" | "windows-1251" | "windows-1257"
  /** Decimal separator of amounts; default `,`. Thousands separators (the other of `.`/`,`, spaces, apostrophes) are dropped. */
  decimal?: "," | "."
  /** Date format of date columns; default `DD.MM.YYYY`. */
  date_format?: "DD.MM.YYYY" | "DD.MM.YY" | "YYYY-MM-DD" | "DD/MM/YYYY" | "MM/DD/YYYY" | "YYYY.MM.DD." | "YYYY.MM.DD"
  /** Header rows before the column names (banks often put the account and period there); default 0. */
  skip_lines?: number
  /**
   * How a row says credit or debit: `signed` (one amount column, negative =
   * debit; default), `split` (separate `credit` and `debit` columns) or
   * `indicator` (an `indicator` column whose value is `credit_value` for credits).
   */
  sign?: "signed" | "split" | "indicator"
  /** With `sign: "indicator"`: the indicator column's value for a credit, e.g. `H` (Haben) or `CR`. */
  credit_value?: string
  /** Statement account when no column gives it (IBAN). */
  account_iban?: string
  /** Currency when no column gives it (ISO 4217). */
  currency?: string
  /** Values of the `status` column that mark a row not booked yet (e.g. `Umsatz vorgemerkt`, `pending`): such rows are skipped and counted. */
  pending_values?: string[]
  /** Header names of the columns; `booking_date` and an amount (`amount`, or `credit` + `debit`) are required. */
  columns: {
    booking_date: string
    value_date?: string
    amount?: string
    credit?: string
    debit?: string
    indicator?: string
    currency?: string
    remittance?: string | string[]
    reference?: string
    end_to_end_id?: string
    counterparty_name?: string
    counterparty_iban?: string
    transaction_id?: string
    account_iban?: string
    /** The booking status column; rows whose value is one of `pending_values` are skipped. */
    status?: string
  }
}
