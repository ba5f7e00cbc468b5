import type { Translate } from "../hooks/use-desk-translation"
import type { RefundPayee } from "./types"

/** A field of a payee account. */
export type PayeeField = "name" | "iban" | "bic"

const FIELD_MESSAGE = /(?:^|[\s;:]|payout_account\.)(name|iban|bic): ([^;]*)/

/**
 * The payee field a server message names (`Invalid request: payout_account.iban: …`
 * on the refund and close routes, `… iban: …` on the payout-account route), or null.
 */
export function payeeFieldOf(message: string | null | undefined): PayeeField | null {
  const match = FIELD_MESSAGE.exec(message ?? "")
  return match ? (match[1] as PayeeField) : null
}

/** The server's message about a payee field in the admin's language, without the field's code. */
export function payeeMessage(t: Translate, field: PayeeField, message: string): string {
  const said = FIELD_MESSAGE.exec(message)?.[2] ?? message
  const kind = /required/.test(said)
    ? "required"
    : field !== "name"
      ? "invalid"
      : /70/.test(said)
        ? "tooLong"
        : /SEPA characters/.test(said)
          ? "characters"
          : null
  return kind ? t(`payee.errors.${field}.${kind}`) : said
}

/** A masked IBAN as people read it: its last four characters ("•••• 4300"). */
export function shortIban(masked: string): string {
  return `•••• ${masked.replace(/^[•*\s]+/, "").slice(-4)}`
}

/** Who a manual refund is paid to, in one line ("Erika Mustermann · •••• 4300"). */
export function payeeLine(payee: RefundPayee): string {
  return [payee.name, shortIban(payee.iban_masked)].filter(Boolean).join(" · ")
}
