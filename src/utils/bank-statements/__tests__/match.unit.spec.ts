import { creditorReference } from "../../bank-transfer/rf-reference"
import { dedupeKeys, fallbackDedupeKeysSliced, storeAccountOf } from "../line-keys"
import { runSliced } from "../slices"
import { compareAmount, displayIdOfReference, matchCredit, MatchCandidate, nameKey, orderNumbersIn, payerIsCustomer, referencedDisplayIds } from "../match"
import type { ParsedBankLine } from "../../../types/bank-statements"

const candidate = (display_id: number, outstanding: string, extra: Partial<MatchCandidate> = {}): MatchCandidate => ({
  order_id: `order_${display_id}`,
  display_id,
  currency_code: "eur",
  outstanding,
  canceled: false,
  ...extra,
})
const line = (fields: Partial<ParsedBankLine>): ParsedBankLine => ({
  line: 1,
  account_iban: "DE89370400440532013000",
  account_number: null,
  direction: "credit",
  amount: "110.00",
  currency_code: "eur",
  booking_date: "2026-11-20",
  value_date: null,
  remittance: null,
  structured_reference: null,
  end_to_end_id: null,
  counterparty_name: null,
  counterparty_iban: null,
  bank_transaction_id: null,
  ...fields,
})

describe("reading references and order numbers", () => {
  it("maps the plugin's RF references back to display ids and refuses bad check digits", () => {
    expect(displayIdOfReference(creditorReference(12))).toBe(12)
    expect(displayIdOfReference("RF18 5390 0754 7034")).toBe(539007547034)
    expect(displayIdOfReference("RF19 5390 0754 7034")).toBeNull()
    expect(displayIdOfReference("RF712348231")).toBe(2348231)
    expect(displayIdOfReference(null)).toBeNull()
  })

  it("reads the display ids of RF references printed in groups inside the remittance text", () => {
    expect(referencedDisplayIds({ structured_reference: null, remittance: "Payment RF18 5390 0754 7034 thanks" })).toEqual({
      by_reference: [539007547034],
      by_order_number: [],
    })
    expect(referencedDisplayIds({ structured_reference: creditorReference(12), remittance: "RF83 1003 and again RF6812, Order #7" })).toEqual({
      by_reference: [12, 1003],
      by_order_number: [7],
    })
    expect(referencedDisplayIds({ structured_reference: null, remittance: "RF00 1234 nothing valid" }).by_reference).toEqual([])
    // Glued to a word, it is not a reference (the same rule the statement parsers use).
    expect(referencedDisplayIds({ structured_reference: null, remittance: "INV-XRF6812" }).by_reference).toEqual([])
  })

  it("finds order numbers the way customers write them", () => {
    expect(orderNumbersIn("Order #12 lamp")).toEqual([12])
    expect(orderNumbersIn("Bestellung 34")).toEqual([34])
    expect(orderNumbersIn("订单 56")).toEqual([56])
    expect(orderNumbersIn("78")).toEqual([78])
    expect(orderNumbersIn("Invoice 2026 for 3 lamps")).toEqual([])
  })
})

describe("matchCredit", () => {
  const orders = new Map([12, 13, 14].map((id) => [id, candidate(id, id === 14 ? "0" : "110")]))

  it("records an exact payment quoting the RF reference", () => {
    expect(matchCredit(line({ structured_reference: creditorReference(12) }), orders)).toMatchObject({
      status: "matched",
      match_type: "reference",
      amount_match: "exact",
      order_id: "order_12",
    })
  })

  it("sends partial, over, other-currency and paid orders to review with the reason", () => {
    expect(matchCredit(line({ amount: "50.00", remittance: "Order #12" }), orders)).toMatchObject({ status: "review", amount_match: "partial", order_id: "order_12", match_type: "order_number" })
    expect(matchCredit(line({ amount: "150.00", structured_reference: creditorReference(13) }), orders)).toMatchObject({ status: "review", amount_match: "over", excess_amount: "40" })
    expect(matchCredit(line({ currency_code: "usd", structured_reference: creditorReference(12) }), orders)).toMatchObject({ status: "review", amount_match: "currency_mismatch" })
    expect(matchCredit(line({ structured_reference: creditorReference(14) }), orders)).toMatchObject({ status: "review", amount_match: "nothing_due" })
  })

  it("prefers the reference over an order number in the text, and suggests orders owing the amount when nothing is named", () => {
    expect(matchCredit(line({ structured_reference: creditorReference(13), remittance: "Order #12" }), orders).order_id).toBe("order_13")
    const none = matchCredit(line({ remittance: "for the lamp" }), orders, [candidate(99, "110")])
    expect(none).toMatchObject({ status: "review", order_id: null, suggested_order_ids: ["order_99"] })
  })

  it("does not guess between several open orders named in one text", () => {
    expect(matchCredit(line({ remittance: "Order #12 and order #13" }), orders)).toMatchObject({ status: "review", order_id: null, review_reason: "Several orders are named in the text" })
  })

  it("records an order number in the text with the exact amount only when the payer is the order's customer", () => {
    const known = new Map([[12, candidate(12, "110", { payer: { names: [nameKey("Ada Lovelace") as string], ibans: ["NL91ABNA0417164300"] } })]])
    expect(matchCredit(line({ remittance: "Nr 12", counterparty_name: "Mallory" }), known)).toMatchObject({
      status: "review",
      match_type: "order_number",
      amount_match: "exact",
      order_id: "order_12",
      suggested_order_ids: ["order_12"],
      review_reason: "Mentions order #12 and the amount fits, but the payer is not known as the order's customer: confirm to record",
    })
    expect(matchCredit(line({ remittance: "Nr 12", counterparty_name: "LOVELACE, Adá" }), known)).toMatchObject({ status: "matched", review_reason: null })
    expect(matchCredit(line({ remittance: "Nr 12", counterparty_name: "Acme BV", counterparty_iban: "nl91 abna 0417 1643 00" }), known).status).toBe("matched")
    // Nobody known (no payer data at all): never booked by the text alone.
    expect(matchCredit(line({ remittance: "Nr 12", counterparty_name: "Ada Lovelace" }), orders).status).toBe("review")
    // An RF reference is the plugin's own: booked whoever paid.
    expect(matchCredit(line({ structured_reference: creditorReference(12), counterparty_name: "Mallory" }), known).status).toBe("matched")
  })

  it("compares names without case, diacritics, punctuation or word order", () => {
    expect(nameKey("Jürgen  Groß")).toBe(nameKey("GROSS, jurgen"))
    expect(nameKey("Ada Lovelace")).not.toBe(nameKey("Ada"))
    expect(nameKey(" , ")).toBeNull()
    expect(payerIsCustomer({ counterparty_name: null, counterparty_iban: null }, { payer: { names: [], ibans: [] } })).toBe(false)
  })

  it("compares amounts exactly, without float error", () => {
    expect(compareAmount(line({ amount: "0.30" }), candidate(1, "0.3")).amount_match).toBe("exact")
    expect(compareAmount(line({ amount: "0.10" }), candidate(1, "0.3")).amount_match).toBe("partial")
  })
})

describe("line keys and accounts", () => {
  it("uses the bank's id, else a hash with the occurrence among identical lines", () => {
    const same = line({ amount: "10.00" })
    const keys = dedupeKeys([line({ bank_transaction_id: "ABC" }), same, { ...same, line: 2 }])
    expect(keys[0]).toBe("id:ABC")
    expect(keys[1]).toMatch(/^hash:[0-9a-f]{40}#1$/)
    expect(keys[2]).toBe(keys[1].replace("#1", "#2"))
    expect(dedupeKeys([{ ...same, line: 7 }])[0]).toBe(keys[1])
  })

  it("gives a line under its bank's own id the key its id takes when repeated, in slices of any length", () => {
    const own = line({ bank_transaction_id: "ABC" })
    const placeholder = line({ bank_transaction_id: "NONREF", amount: "5.00" })
    const lines = [own, placeholder, ...Array.from({ length: 600 }, (_, i) => line({ bank_transaction_id: `R${i}`, amount: `${i + 1}.00` }))]
    const withKeys = dedupeKeys(lines).map((dedupe_key, index) => ({ ...lines[index], dedupe_key }))
    const fallback = runSliced(fallbackDedupeKeysSliced(withKeys))
    // What a bank reusing "ABC" for another payment makes the first line's key.
    expect(fallback[0]).toBe(dedupeKeys([own, { ...own, line: 2 }])[0])
    expect(fallback[0]).toMatch(/^id:ABC@[0-9a-f]{40}#1$/)
    expect(fallback[1]).toBeNull()
    expect(fallback[601]).toBe(dedupeKeys([lines[601], lines[601]])[0])
    const repeated = dedupeKeys([own, own]).map((dedupe_key) => ({ ...own, dedupe_key }))
    expect(runSliced(fallbackDedupeKeysSliced(repeated))).toEqual([null, null])
  })

  it("finds the store account by IBAN, or by bank code and account number", () => {
    const accounts = [{ currency: "eur", account_holder: "Demo", iban: "DE89370400440532013000", bic: null, bank_name: null, method: "bank-transfer", method_name: "Bank transfer" }]
    expect(storeAccountOf({ account_iban: "DE89 3704 0044 0532 0130 00", account_number: null }, accounts)?.method).toBe("bank-transfer")
    expect(storeAccountOf({ account_iban: null, account_number: "37040044/532013000" }, accounts)?.iban).toBe("DE89370400440532013000")
    expect(storeAccountOf({ account_iban: "GB29NWBK60161331926819", account_number: null }, accounts)).toBeNull()
  })
})
