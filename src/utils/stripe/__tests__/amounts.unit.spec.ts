import { fromStripeAmount, stripeExponent, toStripeAmount } from "../amounts"

describe("Stripe minor units", () => {
  it("uses Stripe's exponent, not Medusa's currency precision", () => {
    expect(toStripeAmount(12.5, "eur")).toBe(1250)
    expect(toStripeAmount(5000, "jpy")).toBe(5000)
    expect(toStripeAmount(1.25, "kwd")).toBe(1250)
    expect(toStripeAmount(0.5, "bhd")).toBe(500)
    // Zero-decimal in Medusa, two-decimal in Stripe's API (whole units only).
    expect(toStripeAmount(100, "huf")).toBe(10000)
    expect(toStripeAmount(990, "isk")).toBe(99000)
    expect(toStripeAmount(30, "twd")).toBe(3000)
    expect(stripeExponent("JPY")).toBe(0)
    expect(stripeExponent("KWD")).toBe(3)
    expect(stripeExponent("usd")).toBe(2)
  })

  it("refuses amounts Stripe cannot represent, naming the field", () => {
    expect(() => toStripeAmount(10.5, "jpy")).toThrow("amount: Stripe cannot refund 10.5 JPY (whole units only)")
    expect(() => toStripeAmount(1.234, "kwd")).toThrow("amount: Stripe cannot refund 1.234 KWD (its smallest refundable step is 0.01)")
    expect(() => toStripeAmount(1.5, "huf")).toThrow("amount: Stripe cannot refund 1.5 HUF (whole units only)")
    expect(() => toStripeAmount(0.001, "eur")).toThrow("amount: Stripe cannot refund 0.001 EUR")
  })

  it("reads Stripe amounts back", () => {
    expect(fromStripeAmount(1250, "eur")).toBe(12.5)
    expect(fromStripeAmount(5000, "jpy")).toBe(5000)
    expect(fromStripeAmount(1250, "kwd")).toBe(1.25)
  })
})
