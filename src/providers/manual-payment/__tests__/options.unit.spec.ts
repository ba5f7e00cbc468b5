import { accountForCurrency, manualProviderId, methodFromProviderId, payByDate, resolveManualPaymentMethod } from "../options"

describe("manual payment method options", () => {
  it("fills the defaults of the known methods", () => {
    expect(resolveManualPaymentMethod({ method: "bank-transfer" })).toEqual({
      method: "bank-transfer",
      display_name: "Bank transfer",
      instructions: expect.stringContaining("reference"),
      payment_window_hours: 48,
      currencies: [],
      reference_format: "rf",
      accounts: [],
    })
    expect(resolveManualPaymentMethod({ method: "cash-on-delivery" }).payment_window_hours).toBeNull()
  })

  it("names an unknown method after its id and lowercases currencies", () => {
    expect(resolveManualPaymentMethod({ method: "cheque", currencies: ["EUR"] })).toEqual({
      method: "cheque",
      display_name: "Cheque",
      instructions: "",
      payment_window_hours: null,
      currencies: ["eur"],
      reference_format: "rf",
      accounts: [],
    })
  })

  it.each([
    [{}, 'Manual payment method "(unnamed)": method is required'],
    [{ method: "Bank Transfer" }, 'Manual payment method "Bank Transfer": method is required and must be a kebab-case id'],
    [{ method: "bank-transfer", payment_window_hours: -1 }, 'Manual payment method "bank-transfer": payment_window_hours must be a positive number of hours or null'],
    [{ method: "bank-transfer", payment_window_hours: "48" }, 'Manual payment method "bank-transfer": payment_window_hours must be'],
    [{ method: "cheque", currencies: ["euro"] }, 'Manual payment method "cheque": currencies contains "euro"'],
    [{ method: "cheque", currencies: "eur" }, 'Manual payment method "cheque": currencies must be an array'],
    [{ method: "cheque", display_name: "  " }, 'Manual payment method "cheque": display_name must be a non-empty string'],
    [{ method: "cheque", instructions: 5 }, 'Manual payment method "cheque": instructions must be a string'],
    [{ method: "cheque", window: 3 }, 'Manual payment method "cheque": window is not a known option'],
  ])("rejects %j", (options, message) => {
    expect(() => resolveManualPaymentMethod(options)).toThrow(message)
  })

  it("normalizes bank accounts: IBAN and BIC in electronic form, one per currency", () => {
    const resolved = resolveManualPaymentMethod({
      method: "bank-transfer",
      reference_format: "display_id",
      accounts: [
        { currency: "EUR", account_holder: " Payment Desk Demo GmbH ", iban: "de89 3704 0044 0532 0130 00", bic: "cobadeffxxx", bank_name: "Commerzbank" },
        { currency: "gbp", account_holder: "Payment Desk Ltd", iban: "GB29NWBK60161331926819" },
      ],
    })
    expect(resolved.reference_format).toBe("display_id")
    expect(resolved.accounts).toEqual([
      { currency: "eur", account_holder: "Payment Desk Demo GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX", bank_name: "Commerzbank" },
      { currency: "gbp", account_holder: "Payment Desk Ltd", iban: "GB29NWBK60161331926819", bic: null, bank_name: null },
    ])
    expect(accountForCurrency(resolved.accounts, "GBP")?.iban).toBe("GB29NWBK60161331926819")
    expect(accountForCurrency(resolved.accounts, "usd")).toBeNull()
  })

  const account = { currency: "eur", account_holder: "Demo GmbH", iban: "DE89370400440532013000" }
  it.each([
    [{ reference_format: "iso" }, 'Manual payment method "bank-transfer": reference_format must be one of "rf", "display_id"'],
    [{ accounts: { eur: account } }, 'Manual payment method "bank-transfer": accounts must be an array'],
    [{ accounts: [{ ...account, iban: "DE00370400440532013000" }] }, 'Manual payment method "bank-transfer": accounts[0].iban "DE00370400440532013000" (the EUR account) is not a valid IBAN'],
    [{ accounts: [account, { ...account, currency: "usd", iban: "DE89 3704 0044 0532 0130 01" }] }, 'accounts[1].iban "DE89 3704 0044 0532 0130 01" (the USD account) is not a valid IBAN'],
    [{ accounts: [{ ...account, bic: "COBADE" }] }, 'Manual payment method "bank-transfer": accounts[0].bic "COBADE" (the EUR account) is not a valid BIC'],
    [{ accounts: [{ ...account, iban: undefined }] }, 'accounts[0].iban "undefined" (the EUR account) is not a valid IBAN'],
    [{ accounts: [{ ...account, account_holder: "x".repeat(71) }] }, "accounts[0].account_holder (the EUR account) must be a name of 1 to 70 characters"],
    [{ accounts: [account, account] }, "accounts[1].currency (the EUR account) repeats a currency"],
    [{ accounts: [{ ...account, currency: "euro" }] }, 'accounts[0].currency "euro" is not a 3-letter ISO currency code'],
    [{ accounts: [{ ...account, swift: "COBADEFFXXX" }] }, "accounts[0].swift is not a known account field"],
  ])("refuses bank-transfer options %j", (options, message) => {
    expect(() => resolveManualPaymentMethod({ method: "bank-transfer", ...options })).toThrow(message)
  })

  it("maps method ids to provider ids and back", () => {
    expect(manualProviderId("bank-transfer")).toBe("pp_manual_bank-transfer")
    expect(methodFromProviderId("pp_manual_bank-transfer")).toBe("bank-transfer")
    expect(methodFromProviderId("pp_stripe_stripe")).toBeNull()
    expect(methodFromProviderId(undefined)).toBeNull()
  })

  it("computes pay-by from the order date and the window", () => {
    expect(payByDate("2026-01-01T10:00:00.000Z", 48)?.toISOString()).toBe("2026-01-03T10:00:00.000Z")
    expect(payByDate("2026-01-01T10:00:00.000Z", 1.5)?.toISOString()).toBe("2026-01-01T11:30:00.000Z")
    expect(payByDate(new Date(), null)).toBeNull()
  })
})
