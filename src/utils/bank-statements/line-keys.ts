import { createHash } from "node:crypto"
import { electronicFormatIBAN } from "ibantools"
import type { StoreBankAccount } from "../bank-transfer/store-accounts"
import type { ParsedBankLine } from "../../types/bank-statements"

/**
 * The key that makes a line unique within its account: the bank's own
 * transaction id, or, when the bank gives none, a hash of the line's fields
 * plus its occurrence among identical lines of the file (two equal €10
 * payments on one day stay two lines, and the same pair in an overlapping
 * file maps onto them again).
 */
export function dedupeKeys(lines: ParsedBankLine[]): string[] {
  const seen = new Map<string, number>()
  return lines.map((line) => {
    if (line.bank_transaction_id) {
      return `id:${line.bank_transaction_id}`
    }
    const fields = [
      line.booking_date,
      line.direction,
      line.amount,
      line.currency_code,
      line.remittance ?? "",
      line.structured_reference ?? "",
      line.end_to_end_id ?? "",
      line.counterparty_iban ?? "",
      line.counterparty_name ?? "",
    ].join("\u001f")
    const hash = createHash("sha256").update(fields).digest("hex").slice(0, 40)
    const occurrence = (seen.get(hash) ?? 0) + 1
    seen.set(hash, occurrence)
    return `hash:${hash}#${occurrence}`
  })
}

/**
 * The store account a line was booked on: by IBAN, or for an MT940 account
 * written as `bank code/account number` the IBAN that holds both; null
 * when the store holds no such account.
 */
export function storeAccountOf(
  line: Pick<ParsedBankLine, "account_iban" | "account_number">,
  accounts: StoreBankAccount[]
): StoreBankAccount | null {
  const iban = line.account_iban ? electronicFormatIBAN(line.account_iban) : null
  if (iban) {
    return accounts.find((account) => account.iban === iban) ?? null
  }
  const written = line.account_number?.replace(/\s+/g, "") ?? ""
  const [bankCode, number] = written.includes("/") ? written.split("/") : ["", written]
  if (!/^\d+$/.test(number ?? "")) {
    return null
  }
  return (
    accounts.find((account) => {
      const bban = account.iban.slice(4)
      return (!bankCode || bban.startsWith(bankCode)) && bban.replace(/^0+/, "").endsWith(number.replace(/^0+/, ""))
    }) ?? null
  )
}
