import { methodName, providerName } from "../provider-names"

describe("providerName", () => {
  it("names providers for people, never as pp_ ids", () => {
    expect(providerName("pp_manual_bank-transfer")).toBe("Bank transfer")
    expect(providerName("pp_manual_bank-transfer", "Virement bancaire")).toBe("Virement bancaire")
    expect(providerName("pp_manual_pay-at-pickup")).toBe("Pay At Pickup")
    expect(providerName("pp_stripe_stripe")).toBe("Stripe")
    expect(providerName("pp_stripe-ideal_stripe")).toBe("Stripe")
    expect(providerName("pp_system_default")).toBe("Manual (Medusa)")
    expect(providerName("pp_paypal_paypal")).toBe("Paypal")
    expect(providerName(null)).toBeNull()
  })

  it("names the method ids closures store", () => {
    expect(methodName("cash-on-delivery")).toBe("Cash on delivery")
    expect(methodName("pp_stripe_stripe")).toBe("Stripe")
    expect(methodName(null)).toBeNull()
  })
})
