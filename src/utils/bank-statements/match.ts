import { MathBN } from "@medusajs/framework/utils"
import { electronicCreditorReference, isValidCreditorReference } from "../bank-transfer/rf-reference"
import type { BankAmountMatch, BankMatchType } from "../../modules/payment-desk/models/bank-transaction"
import { findCreditorReferences } from "./creditor-reference"
import type { ParsedBankLine } from "../../types/bank-statements"

/** An open order as the matcher sees it: what it still owes, in which currency. */
export type MatchCandidate = {
  order_id: string
  display_id: number
  currency_code: string
  /** Medusa's outstanding amount (the order summary's pending difference), never below 0. */
  outstanding: string
  /** Canceled orders owe nothing whatever their summary says. */
  canceled: boolean
  /**
   * Who is known to pay for the order (see {@link payerIsCustomer}): the name
   * keys of its customer, billing and shipping names, and the payer IBANs of
   * the customer's earlier recorded receipts. Absent: nobody is known.
   */
  payer?: KnownPayer
}

/** The people and accounts known to pay for an order: {@link nameKey}s and normalized IBANs. */
export type KnownPayer = { names: string[]; ibans: string[] }

/**
 * A person's name as a comparison key: case, diacritics, punctuation and the
 * order of the words left out ("LOVELACE, Adá" and "Ada Lovelace" give the
 * same key); null for a name with no letters or digits.
 */
export function nameKey(name: string | null | undefined): string | null {
  if (!name) {
    return null
  }
  const words = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .sort()
  return words.length ? words.join(" ") : null
}

/** An IBAN as a comparison key: upper case, no spaces; null when empty. */
export function ibanKey(iban: string | null | undefined): string | null {
  const key = (iban ?? "").replace(/\s+/g, "").toUpperCase()
  return key || null
}

/**
 * Whether a line's payer is the order's customer: the payer's name equals
 * (by {@link nameKey}) the customer's, the billing or the shipping name, or
 * the payer's IBAN paid an earlier recorded receipt of the same customer.
 */
export function payerIsCustomer(
  line: Pick<ParsedBankLine, "counterparty_name" | "counterparty_iban">,
  candidate: Pick<MatchCandidate, "payer">
): boolean {
  const name = nameKey(line.counterparty_name)
  const iban = ibanKey(line.counterparty_iban)
  return (!!name && !!candidate.payer?.names.includes(name)) || (!!iban && !!candidate.payer?.ibans.includes(iban))
}

/** Why a line naming an order only in its text, with the exact amount, waits for a person: anyone can type an order number. */
export function unknownPayerReason(displayId: number): string {
  return `Mentions order #${displayId} and the amount fits, but the payer is not known as the order's customer: confirm to record`
}

/** What the matcher decided for one credit line. */
export type CreditMatch = {
  match_type: BankMatchType
  amount_match: BankAmountMatch | null
  order_id: string | null
  /** Orders a reviewer may pick, best first (the matched order first when there is one). */
  suggested_order_ids: string[]
  /** Received beyond what the order owes. */
  excess_amount: string | null
  /** `matched` when the line can be recorded as it is, else `review` with the reason. */
  status: "matched" | "review"
  review_reason: string | null
}

const ORDER_NUMBER_IN_TEXT =
  /(?:#|\b(?:order|orders|bestellung|bestellnr|auftrag|commande|pedido|ordine|no|nr|num)\b\.?:?|订单号?|訂單)\s*(?:no\.?|nr\.?|number|nummer|#)?\s*:?\s*(\d{1,12})\b/gi

/**
 * The display id a creditor reference stands for (this plugin's references
 * are `RF` + check digits + the display id), or null when the reference is
 * not valid or not one of ours.
 */
export function displayIdOfReference(reference: string | null | undefined): number | null {
  if (!reference) {
    return null
  }
  const normalized = electronicCreditorReference(reference)
  if (!isValidCreditorReference(normalized)) {
    return null
  }
  const body = normalized.slice(4)
  return /^\d{1,12}$/.test(body) ? Number(body) : null
}

/** Order numbers quoted in a remittance text ("Order #12", "Bestellung 12", "订单 12", or the text being just the number). */
export function orderNumbersIn(text: string | null | undefined): number[] {
  if (!text) {
    return []
  }
  const numbers = new Set<number>()
  const trimmed = text.trim()
  if (/^\d{1,12}$/.test(trimmed)) {
    numbers.add(Number(trimmed))
  }
  for (const match of text.matchAll(ORDER_NUMBER_IN_TEXT)) {
    numbers.add(Number(match[1]))
  }
  return [...numbers]
}

/** The display ids a line points at, strongest first: its structured reference, a reference in the text, then order numbers. */
export function referencedDisplayIds(line: Pick<ParsedBankLine, "structured_reference" | "remittance">): {
  by_reference: number[]
  by_order_number: number[]
} {
  const references = [line.structured_reference, ...findCreditorReferences(line.remittance)]
  const byReference = [...new Set(references.map(displayIdOfReference).filter((id): id is number => id !== null))]
  const byNumber = orderNumbersIn(line.remittance).filter((id) => !byReference.includes(id))
  return { by_reference: byReference, by_order_number: byNumber }
}

/** How an amount compares with what a candidate order owes. */
export function compareAmount(
  line: Pick<ParsedBankLine, "amount" | "currency_code">,
  candidate: MatchCandidate
): { amount_match: BankAmountMatch; excess: string | null } {
  if (candidate.currency_code.toLowerCase() !== line.currency_code.toLowerCase()) {
    return { amount_match: "currency_mismatch", excess: null }
  }
  const outstanding = candidate.canceled ? MathBN.convert(0) : MathBN.convert(candidate.outstanding)
  if (MathBN.lte(outstanding, 0)) {
    return { amount_match: "nothing_due", excess: null }
  }
  if (MathBN.eq(line.amount, outstanding)) {
    return { amount_match: "exact", excess: null }
  }
  if (MathBN.lt(line.amount, outstanding)) {
    return { amount_match: "partial", excess: null }
  }
  return { amount_match: "over", excess: MathBN.sub(line.amount, outstanding).toString() }
}

const REVIEW_REASONS: Record<Exclude<BankAmountMatch, "exact">, string> = {
  partial: "Less than the order still owes: confirm to record it as a partial payment",
  over: "More than the order still owes: confirming records what is due and flags the excess",
  currency_mismatch: "The currency differs from the order's",
  nothing_due: "The order owes nothing (paid in full or canceled)",
}

/**
 * Matches one credit line: a valid RF reference → its order; else an order
 * number in the remittance text (only when exactly one open order in the
 * line's currency fits); then the amount against what that order still owes.
 * Only an exact amount is `matched` (recordable as it is), and for an order
 * number in the text only when the payer is the order's customer
 * ({@link payerIsCustomer}); everything else is `review`, with suggestions:
 * the referenced orders, then orders owing exactly this amount.
 */
export function matchCredit(
  line: Pick<ParsedBankLine, "amount" | "currency_code" | "structured_reference" | "remittance" | "counterparty_name" | "counterparty_iban">,
  byDisplayId: Map<number, MatchCandidate>,
  owingExactly: MatchCandidate[] = []
): CreditMatch {
  const { by_reference, by_order_number } = referencedDisplayIds(line)
  const referenced = by_reference.map((id) => byDisplayId.get(id)).filter((c): c is MatchCandidate => !!c)
  const numbered = by_order_number.map((id) => byDisplayId.get(id)).filter((c): c is MatchCandidate => !!c)
  const suggestions = (chosen: MatchCandidate | null) =>
    [...new Set([chosen, ...referenced, ...numbered, ...owingExactly].filter((c): c is MatchCandidate => !!c).map((c) => c.order_id))].slice(0, 5)

  let chosen: MatchCandidate | null = null
  let matchType: BankMatchType = "none"
  if (referenced.length) {
    chosen = referenced[0]
    matchType = "reference"
  } else {
    const open = numbered.filter((c) => compareAmount(line, c).amount_match !== "currency_mismatch" && compareAmount(line, c).amount_match !== "nothing_due")
    if (open.length === 1) {
      chosen = open[0]
      matchType = "order_number"
    } else if (numbered.length === 1) {
      chosen = numbered[0]
      matchType = "order_number"
    }
  }

  if (!chosen) {
    return {
      match_type: "none",
      amount_match: null,
      order_id: null,
      suggested_order_ids: suggestions(null),
      excess_amount: null,
      status: "review",
      review_reason: numbered.length > 1
        ? "Several orders are named in the text"
        : "No order found for the reference or text",
    }
  }
  const { amount_match, excess } = compareAmount(line, chosen)
  // An order number is free text anyone can type: only the order's customer's money is booked by it alone.
  const unknownPayer = amount_match === "exact" && matchType === "order_number" && !payerIsCustomer(line, chosen)
  return {
    match_type: matchType,
    amount_match,
    order_id: chosen.order_id,
    suggested_order_ids: suggestions(chosen),
    excess_amount: excess,
    status: amount_match === "exact" && !unknownPayer ? "matched" : "review",
    review_reason: amount_match !== "exact" ? REVIEW_REASONS[amount_match] : unknownPayer ? unknownPayerReason(chosen.display_id) : null,
  }
}
