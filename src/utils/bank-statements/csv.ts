import { BankStatementError } from "./errors"
import type { CsvProfile, ParsedBankStatementFile } from "./types"

/** CSV reader: not written yet. */
export function parseCsvStatement(fileName: string, _content: Buffer, _profile: CsvProfile): ParsedBankStatementFile {
  throw new BankStatementError({ file_name: fileName, message: "CSV is not supported yet" })
}
