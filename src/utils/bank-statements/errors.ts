import { MedusaError } from "@medusajs/framework/utils"

/** What a statement error points at: the file, the line or entry, and the field. */
export type BankStatementErrorInput = {
  file_name: string
  /** The line (MT940, CSV, malformed XML) or entry (CAMT `Ntry`, 1-based) number; null for the whole file. */
  line?: number | null
  /** The field at fault, e.g. `amount`, `BookgDt`, `:61:`; null when the whole file or line is. */
  field?: string | null
  /** Whether `line` counts lines of text or CAMT entries; default `line`. */
  unit?: "line" | "entry"
  /** What is wrong, without the location (it is prefixed). */
  message: string
}

/**
 * A statement file that cannot be read: a 400 (`INVALID_DATA`) whose message
 * starts with the file name and the line or entry, e.g.
 * `statement.csv line 7: amount "12,345" has more decimals than EUR allows (2)`.
 */
export class BankStatementError extends MedusaError {
  /** The uploaded file's name. */
  readonly file_name: string
  /** Line (or CAMT entry) number, 1-based; null when the error is about the whole file. */
  readonly line: number | null
  /** The field at fault; null when the error is about the whole file or line. */
  readonly field: string | null

  constructor(input: BankStatementErrorInput) {
    const line = input.line ?? null
    const where = line === null ? input.file_name : `${input.file_name} ${input.unit ?? "line"} ${line}`
    super(MedusaError.Types.INVALID_DATA, `${where}: ${input.message}`)
    this.name = "BankStatementError"
    this.file_name = input.file_name
    this.line = line
    this.field = input.field ?? null
  }
}
