import { createHash } from "node:crypto"
import { electronicFormatIBAN, extractIBAN, isValidIBAN } from "ibantools"
import type { StoreBankAccount } from "../bank-transfer/store-accounts"
import type { ParsedBankLine } from "../../types/bank-statements"
import { runSliced, Sliced } from "./slices"

const PLACEHOLDERS = new Set(["NONREF", "NOTPROVIDED", "NONE", "N/A", "NA", "-"])

/** Whether a bank reference says "no reference" (`NONREF`, `NOTPROVIDED`, empty, zeros): never a key. */
export function isPlaceholderReference(value: string | null | undefined): boolean {
  const compact = (value ?? "").trim().toUpperCase()
  return compact === "" || PLACEHOLDERS.has(compact) || /^0+$/.test(compact)
}

/** The bank's reference of a line when it is a real one. */
function realReference(line: Pick<ParsedBankLine, "bank_transaction_id">): string | null {
  return line.bank_transaction_id && !isPlaceholderReference(line.bank_transaction_id) ? line.bank_transaction_id.trim() : null
}

/** A hash of what tells two lines apart when the bank's reference does not. */
function fieldsHash(line: KeyedFields): string {
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
  return createHash("sha256").update(fields).digest("hex").slice(0, 40)
}

/** Lines keyed between two yields to the event loop (each costs a SHA-256 of its fields). */
const KEY_SLICE = 250

/** The fields a line's keys are made of. */
type KeyedFields = Pick<
  ParsedBankLine,
  | "bank_transaction_id"
  | "booking_date"
  | "direction"
  | "amount"
  | "currency_code"
  | "remittance"
  | "structured_reference"
  | "end_to_end_id"
  | "counterparty_iban"
  | "counterparty_name"
>

/** Numbers keys in file order: `base` plus the occurrence among the lines of the same base so far. */
function numbering(): (base: string) => string {
  const seen = new Map<string, number>()
  return (base) => {
    const occurrence = (seen.get(base) ?? 0) + 1
    seen.set(base, occurrence)
    return `${base}#${occurrence}`
  }
}

/** {@link dedupeKeys}, pausing every {@link KEY_SLICE} lines (run it with `runSliced` or `runSlicedAsync`). */
export function* dedupeKeysSliced(lines: KeyedFields[]): Sliced<string[]> {
  const references = lines.map(realReference)
  const counts = new Map<string, number>()
  references.forEach((ref) => ref && counts.set(ref, (counts.get(ref) ?? 0) + 1))
  const numbered = numbering()
  const keys: string[] = []
  for (const [index, line] of lines.entries()) {
    if (index && index % KEY_SLICE === 0) {
      yield
    }
    const ref = references[index]
    const key = numbered(ref ? `id:${ref}@${fieldsHash(line)}` : `hash:${fieldsHash(line)}`)
    keys.push(ref && counts.get(ref) === 1 ? `id:${ref}` : key)
  }
  return keys
}

/**
 * The key that makes a line unique within its account: the bank's own
 * transaction id when it is a real reference that no other line of the file
 * repeats (`id:<ref>`). A placeholder (`NONREF`, `NOTPROVIDED`, empty) gives
 * `hash:<fields>#<n>`, and a reference the file repeats (across days, or on
 * the details of a CAMT entry) `id:<ref>@<fields>#<n>`: booking date,
 * amount, direction, currency, counterparty and texts, and the line's place
 * among identical lines, so two equal €10 payments on one day stay two lines
 * and the same pair in an overlapping file maps onto them again.
 */
export function dedupeKeys(lines: KeyedFields[]): string[] {
  return runSliced(dedupeKeysSliced(lines))
}

/**
 * The key each line takes instead when its {@link dedupeKeys} key (its
 * `dedupe_key`, the lines given in file order) is held by a stored line that
 * is not the same (another day, amount or direction: a bank that reuses
 * references across files): the reference with the line's fields. Null for
 * lines whose key already is such a fallback. Pauses every
 * {@link KEY_SLICE} lines.
 */
export function* fallbackDedupeKeysSliced(lines: (KeyedFields & { dedupe_key: string })[]): Sliced<(string | null)[]> {
  const numbered = numbering()
  const keys: (string | null)[] = []
  for (const [index, line] of lines.entries()) {
    if (index && index % KEY_SLICE === 0) {
      yield
    }
    const fallback = numbered(`id:${realReference(line) ?? ""}@${fieldsHash(line)}`)
    keys.push(line.dedupe_key.includes("@") || line.dedupe_key.startsWith("hash:") ? null : fallback)
  }
  return keys
}

const withoutZeros = (value: string) => value.replace(/^0+/, "")

/** What a store account's IBAN holds: its BBAN, bank code, branch and account number (ibantools' country rules). */
function accountParts(account: StoreBankAccount) {
  const parts = extractIBAN(account.iban)
  const bank = parts.bankIdentifier ?? ""
  const branch = parts.branchIdentifier ?? ""
  const bban = parts.bban ?? account.iban.slice(4)
  return {
    account,
    country: parts.countryCode ?? account.iban.slice(0, 2),
    bban,
    bank,
    // The BBAN after the bank and branch codes; ibantools' own accountNumber is
    // compared too, as it is cut short for some countries (9 of Germany's 10 digits).
    numbers: [bban.slice(bank.length + branch.length), parts.accountNumber ?? ""].filter((value) => withoutZeros(value) !== ""),
  }
}

const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/

/** The store account a statement names and the forms of the account that were tried, for the 400 when none matched. */
export type StoreAccountMatch = { account: StoreBankAccount | null; tried: string[] }

/**
 * The store account a statement's account names, in any form banks write it:
 * an IBAN (also with a currency suffix), a BBAN, `bank code/number` (BLZ),
 * `BIC/number`, `bank name/number` (`TRIODOSBANK/0390123456`), or a bare
 * account number with dots and a currency suffix (Rabobank's
 * `1291.99.348EUR`), compared with the BBAN, bank code and account number
 * ibantools derives from each configured IBAN. A form that fits several
 * accounts matches none.
 */
export function matchStoreAccount(
  line: Pick<ParsedBankLine, "account_iban" | "account_number">,
  accounts: StoreBankAccount[]
): StoreAccountMatch {
  const tried: string[] = []
  const byIban = (iban: string) => accounts.find((account) => electronicFormatIBAN(account.iban) === iban) ?? null
  if (line.account_iban) {
    const iban = electronicFormatIBAN(line.account_iban) ?? line.account_iban
    tried.push(`IBAN ${iban}`)
    return { account: byIban(iban), tried }
  }
  const written = (line.account_number ?? "").replace(/\s+/g, "").toUpperCase()
  if (!written) {
    return { account: null, tried: ["no account given"] }
  }
  // A currency code after the number (`…348EUR`, `NL…EUR`) is no part of it.
  const bare = written.replace(/(?<=[0-9])[A-Z]{3}$/, "")
  if (isValidIBAN(bare)) {
    tried.push(`IBAN ${bare}`)
    return { account: byIban(bare), tried }
  }
  const ibanShaped = /^([A-Z]{2})[0-9]{2}([A-Z0-9]{8,30})$/.exec(bare)
  if (ibanShaped) {
    // An IBAN whose check digits do not compute (test banks' sample files): its country and BBAN still name the account.
    tried.push(`IBAN ${bare} (check digits invalid), as BBAN ${ibanShaped[2]}`)
    const fits = accounts.map(accountParts).filter((part) => part.country === ibanShaped[1] && part.bban === ibanShaped[2])
    return { account: fits.length === 1 ? fits[0].account : null, tried }
  }
  const [prefix, rest] = bare.includes("/") ? [bare.slice(0, bare.indexOf("/")), bare.slice(bare.indexOf("/") + 1)] : ["", bare]
  const number = rest.replace(/[.\-/]/g, "")
  const parts = accounts.map(accountParts)
  let fits = parts.filter((part) => part.bban === number)
  if (fits.length) {
    tried.push(`BBAN ${number}`)
  } else {
    if (/^[0-9]+$/.test(prefix)) {
      tried.push(`bank code ${prefix}`)
      fits = parts.filter((part) => part.bank === prefix || part.bban.startsWith(prefix))
    } else if (BIC.test(prefix)) {
      tried.push(`BIC ${prefix}`)
      fits = parts.filter(
        (part) =>
          (part.account.bic ? part.account.bic.toUpperCase().slice(0, 8) === prefix.slice(0, 8) : part.country === prefix.slice(4, 6)) ||
          (/^[A-Z]+$/.test(part.bank) && part.bank === prefix.slice(0, 4))
      )
    } else if (prefix) {
      tried.push(`bank ${prefix}`)
      fits = parts.filter((part) => /^[A-Z]+$/.test(part.bank) && prefix.startsWith(part.bank))
    } else {
      fits = parts
    }
    tried.push(`account number ${number}`)
    fits = /^[0-9A-Z]+$/.test(number) && withoutZeros(number) !== ""
      ? fits.filter(
          (part) =>
            part.numbers.some((own) => withoutZeros(own) === withoutZeros(number)) || withoutZeros(part.bban) === withoutZeros(number)
        )
      : []
  }
  return { account: fits.length === 1 ? fits[0].account : null, tried }
}

/** The store account a line was booked on ({@link matchStoreAccount}); null when the store holds no such account. */
export function storeAccountOf(
  line: Pick<ParsedBankLine, "account_iban" | "account_number">,
  accounts: StoreBankAccount[]
): StoreBankAccount | null {
  return matchStoreAccount(line, accounts).account
}
