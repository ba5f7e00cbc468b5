import { BankStatementError } from "./errors"
import type { ParsedBankStatementFile } from "./types"

/** Whether text looks like MT940: `:20:`, `:25:` and `:61:` (or `:60F:`) fields. */
export function looksLikeMt940(text: string): boolean {
  return /(^|[\n{:])\s*:20:/.test(text) && /\n\s*:25:/.test(text) && /\n\s*:(61|60[FM]):/.test(text)
}

/** MT940 reader: not written yet. */
export function parseMt940(fileName: string, _content: Buffer): ParsedBankStatementFile {
  throw new BankStatementError({ file_name: fileName, message: "MT940 is not supported yet" })
}
