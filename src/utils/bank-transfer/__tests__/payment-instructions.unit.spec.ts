import { bankTransferDetails, fillInstructions, formatAmount, formatPayBy, orderReference } from "../payment-instructions"
import { isValidCreditorReference } from "../rf-reference"

const eurAccount = {
  currency: "eur",
  account_holder: "Payment Desk Demo GmbH",
  iban: "DE89370400440532013000",
  bic: "COBADEFFXXX",
  bank_name: null,
}

describe("bank transfer instructions", () => {
  it("forms the order's reference as configured", () => {
    expect(orderReference(12, "rf")).toBe("RF6812")
    expect(orderReference(12, undefined)).toBe("RF6812")
    expect(orderReference(12, "display_id")).toBe("12")
    expect(orderReference(null, "rf")).toBeNull()
  })

  it("formats amounts with the currency's decimals and deadlines in UTC", () => {
    expect(formatAmount(110, "eur")).toBe("110.00 EUR")
    expect(formatAmount("0.1", "usd")).toBe("0.10 USD")
    expect(formatAmount(500, "jpy")).toBe("500 JPY")
    expect(formatPayBy("2026-11-25T16:30:00.008Z")).toBe("2026-11-25 16:30 UTC")
    expect(formatPayBy(null)).toBe("no deadline")
  })

  it("fills the known placeholders and leaves other braces alone", () => {
    const values = {
      reference: "RF6812", amount: "110.00 EUR", iban: "DE89 3704", bic: "COBADEFFXXX",
      account_holder: "Demo GmbH", pay_by: "2026-11-25 16:30 UTC", order_number: "12",
    }
    expect(fillInstructions("Pay {amount} to {account_holder} ({iban}, {bic}) by {pay_by}, reference {reference} for order #{order_number}. {unknown} {reference}", values)).toBe(
      "Pay 110.00 EUR to Demo GmbH (DE89 3704, COBADEFFXXX) by 2026-11-25 16:30 UTC, reference RF6812 for order #12. {unknown} RF6812"
    )
  })

  it("gives a euro order its reference, account, filled instructions and EPC payload", () => {
    const details = bankTransferDetails({
      display_id: 12,
      currency_code: "eur",
      amount_due: 110,
      pay_by: "2026-11-25T16:30:00.000Z",
      instructions: "IBAN: {iban}\nReference: {reference}\nAmount: {amount}",
      reference_format: "rf",
      account: eurAccount,
    })
    expect(isValidCreditorReference(details.reference ?? "")).toBe(true)
    expect(details).toEqual({
      reference: "RF6812",
      account: { account_holder: "Payment Desk Demo GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX", bank_name: null },
      instructions: "IBAN: DE89 3704 0044 0532 0130 00\nReference: RF6812\nAmount: 110.00 EUR",
      epc_payload: "BCD\n002\n1\nSCT\nCOBADEFFXXX\nPayment Desk Demo GmbH\nDE89370400440532013000\nEUR110.00\n\nRF6812\n",
    })
  })

  it("has no QR payload with nothing due, outside euro, or without an account", () => {
    const base = { display_id: 3, currency_code: "eur", amount_due: 110, pay_by: null, instructions: "" }
    expect(bankTransferDetails({ ...base, amount_due: 0, account: eurAccount }).epc_payload).toBeNull()
    expect(bankTransferDetails({ ...base, currency_code: "usd", account: { ...eurAccount, currency: "usd" } }).epc_payload).toBeNull()
    const none = bankTransferDetails({ ...base, instructions: "To {iban} ({account_holder})" })
    expect(none).toEqual({ reference: "RF203", account: null, epc_payload: null, instructions: "To  ()" })
    // A display-id reference travels as remittance text.
    expect(bankTransferDetails({ ...base, reference_format: "display_id", account: eurAccount }).epc_payload?.split("\n").slice(9)).toEqual(["", "3"])
  })
})
