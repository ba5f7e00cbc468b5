import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { createHash } from "node:crypto"
import { setImmediate as yieldToLoop } from "node:timers/promises"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { storeBankAccounts } from "../../../utils/bank-transfer/store-accounts"
import { matchStoreAccount } from "../../../utils/bank-statements/line-keys"
import { readBankStatement } from "../../../utils/bank-statements/parse-bank-statement"
import { heldUpload } from "../../../utils/bank-statements/uploads"
import type { BankStatementFormat, CsvProfile, ParsedBankLine, SkippedEntryReport, SkippedRow } from "../../../types/bank-statements"

/** Input of {@link parseBankStatementStep}: the uploaded file. */
export type ParseBankStatementStepInput = {
  file_name: string
  /** The file's bytes, base64-encoded (workflow input stays plain JSON); or `upload_id`. */
  content_base64?: string | null
  /** A file the route holds in this process (`holdUpload`), instead of `content_base64`: nothing large in the workflow's input. */
  upload_id?: string | null
  format?: BankStatementFormat | null
  /** A CSV profile's name (`bank_statements.csv_profiles`). */
  profile?: string | null
}

/** A parsed file whose every line was booked on one of the store's accounts. */
export type ParsedStatement = {
  file_name: string
  format: BankStatementFormat
  checksum: string
  statement_ids: string[]
  accounts: string[]
  lines: (ParsedBankLine & { account: string })[]
  /** Entries that give no line: pending, zero amount, or on an account the store does not hold. */
  skipped: SkippedEntryReport[]
  /** The file's entries: `lines` plus `skipped`. */
  entries: number
  /** Rows the file marks pending (CSV), read and not imported (also in `skipped`, reason `pending`). */
  pending: number
  /** The summary rows at the end of the file (CSV), read and not imported (the first 20). */
  summary_rows: SkippedRow[]
}

export const parseBankStatementStepId = "parse-bank-statement"

/** Lines checked against the store's accounts between two yields to the event loop. */
const ACCOUNT_SLICE = 500

/**
 * Reads a statement file (CAMT.053/054, MT940, or CSV with a saved profile)
 * and checks it whole before anything is stored: every line is on an
 * account the store holds, with no more decimals than its currency. A 400
 * names the file, the line and the field. Reads only: nothing to undo.
 */
export const parseBankStatementStep = createStep(
  parseBankStatementStepId,
  async (input: ParseBankStatementStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const options = desk.getOptions().bank_statements
    const content = input.upload_id ? heldUpload(input.upload_id) : Buffer.from(input.content_base64 ?? "", "base64")
    if (!content) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `file: ${input.file_name} is no longer held by this server; upload it again`)
    }
    if (!content.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `file: ${input.file_name} is empty`)
    }
    let profile: CsvProfile | undefined
    if (input.profile) {
      // Own profiles only: "constructor" or "__proto__" name no profile.
      profile = Object.prototype.hasOwnProperty.call(options.csv_profiles, input.profile) ? options.csv_profiles[input.profile] : undefined
      if (!profile) {
        const known = Object.keys(options.csv_profiles)
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `profile: "${input.profile}" is not a configured CSV profile (${known.length ? `known: ${known.join(", ")}` : "none configured in bank_statements.csv_profiles"})`
        )
      }
    }
    const parsed = await readBankStatement(
      { file_name: input.file_name, content, format: input.format ?? undefined, profile },
      { max_lines: options.max_lines }
    )
    const accounts = storeBankAccounts(container)
    const skipped: SkippedEntryReport[] = (parsed.skipped ?? []).map((entry) => ({ ...entry }))
    // Rows a CSV file marks pending (not booked yet) are entries that give no line.
    const pendingRows = parsed.csv_rows_skipped?.pending ?? []
    for (const row of pendingRows) {
      skipped.push({ line: row.line, reason: "pending", direction: null, amount: null, currency_code: null, booking_date: null })
    }
    // Lines read plus entries that gave none (lines on another account are among those read).
    const entries = parsed.lines.length + skipped.length
    const lines: ParsedStatement["lines"] = []
    const refused: { line: ParsedBankLine; tried: string[] }[] = []
    for (const [index, line] of parsed.lines.entries()) {
      if (index && index % ACCOUNT_SLICE === 0) {
        await yieldToLoop()
      }
      const match = matchStoreAccount(line, accounts)
      if (!MathBN.gt(line.amount, 0)) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `${input.file_name} line ${line.line}: amount must be above 0, got ${line.amount}`)
      }
      if (match.account) {
        lines.push({ ...line, account: match.account.iban })
      } else {
        refused.push({ line, tried: match.tried })
      }
    }
    if (refused.length && !lines.length) {
      // No statement of the file is on one of the store's accounts: the wrong file.
      const { line, tried } = refused[0]
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `${input.file_name} line ${line.line}: account ${line.account_iban ?? line.account_number ?? "(none)"} is not one of the store's bank accounts (${accounts.map((a) => a.iban).join(", ") || "none configured"}); tried ${tried.join(", ")}`
      )
    }
    for (const { line } of refused) {
      // A file with several accounts' statements: the others' lines are listed, not stored.
      skipped.push({
        line: line.line,
        reason: "other_account",
        direction: line.direction,
        amount: line.amount,
        currency_code: line.currency_code,
        booking_date: line.booking_date,
        account: line.account_iban ?? line.account_number,
      })
    }
    const statement: ParsedStatement = {
      file_name: input.file_name,
      format: parsed.format,
      checksum: createHash("sha256").update(content).digest("hex"),
      statement_ids: parsed.statement_ids,
      accounts: [...new Set(lines.map((line) => line.account))],
      lines,
      skipped,
      entries,
      pending: pendingRows.length,
      summary_rows: (parsed.csv_rows_skipped?.summary_rows ?? []).slice(0, 20),
    }
    return new StepResponse(statement)
  }
)
