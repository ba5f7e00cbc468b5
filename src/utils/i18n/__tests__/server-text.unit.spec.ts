import { emailDateText, emailMoneyText, languageOf, serverText } from "../server-text"
import { stripeKeyMode } from "../../settings/payment-desk-settings"

describe("languageOf", () => {
  it("maps an order's BCP 47 locale to a language the plugin speaks", () => {
    expect(languageOf("de", "en")).toBe("de")
    expect(languageOf("de-AT", "en")).toBe("de")
    expect(languageOf("en_GB", "de")).toBe("en")
    expect(languageOf("zh", "en")).toBe("zh-CN")
    expect(languageOf("zh-Hans-SG", "en")).toBe("zh-CN")
    expect(languageOf("ZH-cn", "en")).toBe("zh-CN")
  })

  it("falls back for none, for a language it does not speak, and for Traditional Chinese", () => {
    expect(languageOf(null, "de")).toBe("de")
    expect(languageOf("", "en")).toBe("en")
    expect(languageOf("fr-FR", "de")).toBe("de")
    expect(languageOf("zh-TW", "en")).toBe("en")
    expect(languageOf("zh-Hant", "de")).toBe("de")
    expect(languageOf("zh-HK", "en")).toBe("en")
  })
})

describe("email texts", () => {
  it("writes amounts as the storefront does in English and as the language does otherwise", () => {
    expect(emailMoneyText("en", 110, "eur")).toBe("110.00 EUR")
    expect(emailMoneyText("en", 500, "jpy")).toBe("500 JPY")
    expect(emailMoneyText("de", 110, "eur")).toBe("110,00\u00a0€")
    expect(emailMoneyText("zh-CN", 110, "eur")).toBe("€110.00")
  })

  it("writes a deadline in UTC in the language's date order", () => {
    const at = "2026-11-25T16:30:00.000Z"
    expect(emailDateText("en", at)).toBe("2026-11-25 16:30 UTC")
    expect(emailDateText("de", at)).toBe("25.11.2026, 16:30 UTC")
    expect(emailDateText("zh-CN", at)).toBe("2026/11/25 16:30 UTC")
  })

  it("has every email phrase in all three languages", () => {
    for (const key of ["refundArrivesPayout", "refundArrivesPaidOut", "refundArrivesCard"]) {
      const english = serverText("en", `emails.${key}`)
      expect(english).not.toBe(`emails.${key}`)
      expect(serverText("de", `emails.${key}`)).not.toBe(english)
      expect(serverText("zh-CN", `emails.${key}`)).not.toBe(english)
    }
  })
})

describe("stripeKeyMode", () => {
  it("tells a test key from a live one, and says nothing of others", () => {
    expect(stripeKeyMode("sk_test_123")).toBe(true)
    expect(stripeKeyMode("rk_test_123")).toBe(true)
    expect(stripeKeyMode("sk_live_123")).toBe(false)
    expect(stripeKeyMode("whatever")).toBeNull()
    expect(stripeKeyMode(undefined)).toBeNull()
  })
})
