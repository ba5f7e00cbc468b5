import { manualProviderId, methodFromProviderId, payByDate, resolveManualPaymentMethod } from "../options"

describe("manual payment method options", () => {
  it("fills the defaults of the known methods", () => {
    expect(resolveManualPaymentMethod({ method: "bank-transfer" })).toEqual({
      method: "bank-transfer",
      display_name: "Bank transfer",
      instructions: expect.stringContaining("reference"),
      payment_window_hours: 48,
      currencies: [],
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
