import fs from "node:fs"
import path from "node:path"
import type { Translate } from "../hooks/use-desk-translation"
import { localeOf } from "../hooks/use-desk-translation"
import { withPluralBaseKeys } from "../i18n"
import de from "../i18n/json/de.json"
import en from "../i18n/json/en.json"
import zhCN from "../i18n/json/zh-cn.json"
import { amountError, formatSchedule, toScaledAmount } from "../lib/format"
import { payeeFieldOf, payeeLine, payeeMessage } from "../lib/payee"
import {
  actionLabel,
  actorLabel,
  humanize,
  methodLabel,
  notesLabel,
  orderLabel,
  providerLabel,
  reasonLabel,
  SYSTEM_ACTORS,
  systemNoteLabel,
} from "../lib/labels"
import { SYSTEM_NOTE_CODES, systemNoteText } from "../../utils/notes/system-notes"
import { AUDIT_ACTIONS as SERVER_AUDIT_ACTIONS } from "../../modules/payment-desk/models/audit-entry"
import { CLOSE_REASONS } from "../../modules/payment-desk/models/order-closure"

type Tree = { [key: string]: string | Tree }

function flatten(tree: Tree, prefix = ""): Record<string, string> {
  return Object.entries(tree).reduce<Record<string, string>>((all, [key, value]) => {
    return typeof value === "string" ? { ...all, [prefix + key]: value } : { ...all, ...flatten(value, `${prefix}${key}.`) }
  }, {})
}

/** i18next's lookup as the admin does it: a missing key answers the key itself (with the namespace prefix). */
function translator(resources: Tree): Translate {
  const flat = flatten(resources)
  return (key, values) => {
    const plural = values && typeof values.count === "number" ? `${key}_${values.count === 1 ? "one" : "other"}` : key
    const text = flat[plural] ?? flat[`${key}_other`] ?? flat[key]
    if (text === undefined) {
      return `paymentDesk.${key}`
    }
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values?.[name] ?? ""))
  }
}

const baseKeys = (tree: Tree) => new Set(Object.keys(flatten(tree)).map((key) => key.replace(/_(one|other)$/, "")))

describe("admin labels and translations", () => {
  it("German and Chinese have every English key, and no other", () => {
    const english = [...baseKeys(en)].sort()
    expect([...baseKeys(de)].sort()).toEqual(english)
    expect([...baseKeys(zhCN)].sort()).toEqual(english)
  })

  it("every code the server stores has words in English: actions, reasons, system actors", () => {
    const flat = flatten(en as unknown as Tree)
    for (const action of SERVER_AUDIT_ACTIONS) expect([action, flat[`actions.${action}`]]).toEqual([action, expect.any(String)])
    for (const reason of CLOSE_REASONS) expect([reason, flat[`reasons.${reason}`]]).toEqual([reason, expect.any(String)])
    for (const actor of SYSTEM_ACTORS) expect([actor, flat[`systemActors.${actor}`]]).toEqual([actor, expect.any(String)])
  })

  it("every key the admin code asks for exists in English", () => {
    const root = path.resolve(__dirname, "..")
    const files: string[] = []
    const walk = (dir: string) =>
      fs.readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
        const full = path.join(dir, entry.name)
        if (entry.isDirectory() && entry.name !== "__tests__") walk(full)
        else if (/\.tsx?$/.test(entry.name)) files.push(full)
      })
    walk(root)
    const keys = baseKeys(en)
    const asked = new Set<string>()
    for (const file of files) {
      const source = fs.readFileSync(file, "utf8")
      for (const match of source.matchAll(/\bt\("([a-zA-Z]+\.[a-zA-Z.]+)"/g)) asked.add(match[1])
      for (const match of source.matchAll(/k="([a-zA-Z.]+)"/g)) asked.add(match[1])
      for (const match of source.matchAll(/label: "paymentDesk\.([a-zA-Z.]+)"/g)) asked.add(match[1])
    }
    expect(asked.size).toBeGreaterThan(100)
    expect([...asked].filter((key) => !keys.has(key))).toEqual([])
  })

  it("says codes as words, in the admin's language, and humanizes unknown ones", () => {
    const t = translator(en)
    const g = translator(de)
    expect(reasonLabel(t, "payment_timeout")).toBe("Payment not received in time")
    expect(reasonLabel(g, "payment_timeout")).toBe("Zahlung nicht rechtzeitig eingegangen")
    expect(actionLabel(t, "refund_payout_recorded")).toBe("Refund paid out")
    expect(actionLabel(t, "something_new_here")).toBe("Something new here")
    expect(humanize("closed_reason.customer_request")).toBe("Closed reason customer request")
    expect(providerLabel(t, "pp_manual_bank-transfer")).toBe("Bank transfer")
    expect(providerLabel(g, "pp_manual_cash-on-delivery")).toBe("Nachnahme")
    expect(providerLabel(t, "pp_stripe_stripe")).toBe("Stripe")
    expect(providerLabel(t, "pp_manual_invoice")).toBe("Invoice")
    // The server's English default name of a manual method is translated, as methodLabel does.
    expect(providerLabel(g, "pp_manual_bank-transfer", "Bank transfer")).toBe("Überweisung")
    expect(providerLabel(g, "pp_manual_bank-transfer", "Vorkasse")).toBe("Vorkasse")
    expect(methodLabel(t, "pp_stripe_stripe")).toBe("Stripe")
    // The plugin's English default name is translated; a merchant's own name is kept.
    expect(methodLabel(g, "bank-transfer", "Bank transfer")).toBe("Überweisung")
    expect(methodLabel(g, "bank-transfer", "Vorkasse")).toBe("Vorkasse")
    expect(actorLabel(t, { type: "user", name: null, email: "cashier@example.com" })).toBe("cashier@example.com")
    expect(actorLabel(g, { type: "system" })).toBe("Der Shop (automatisch)")
    // The system by the job that acted; a name the server sent for it is not shown.
    expect(actorLabel(t, { type: "system", id: "close-unpaid-orders", name: "close-unpaid-orders" })).toBe("Auto-close job")
    expect(actorLabel(g, { type: "system", id: "reconciliation" })).toBe("Erstattungsabgleich")
    expect(actorLabel(g, { type: "system", id: "some-other-process" })).toBe("Der Shop (automatisch)")
    expect(orderLabel(12)).toBe("#12")
    expect(orderLabel(null)).toBe("")
    expect(translator(en)("ledger.attempts", { count: 2 })).toBe("2 attempts")
  })

  it("says the plugin's own notes in the admin's language, with the server's English for a code it does not know", () => {
    // Dates as the server writes them (UTC), whatever this machine's zone.
    process.env.TZ = "UTC"
    const t = translator(en)
    const g = translator(de)
    const z = translator(zhCN as unknown as Tree)
    const closed = { code: "order_closed", params: { reason: "payment_timeout" }, text: "Order closed: Payment not received in time" }
    expect(systemNoteLabel(t, closed)).toBe("Order closed: Payment not received in time")
    expect(systemNoteLabel(g, closed)).toBe("Bestellung geschlossen: Zahlung nicht rechtzeitig eingegangen")
    expect(systemNoteLabel(z, closed)).toBe("订单已关闭：未按时付款")
    const overdue = {
      code: "partly_paid_overdue",
      params: { paid: 40, total: 110, currency_code: "eur", pay_by: "2026-12-01T10:00:00.000Z" },
      text: "…",
    }
    expect(systemNoteLabel(g, overdue, "de").replace(/\u00a0/g, " ")).toBe(
      "Teilweise bezahlt (40,00 € von 110,00 €) und Zahlungsfrist abgelaufen (01.12.2026, 10:00)"
    )
    expect(systemNoteLabel(g, { code: "from_a_newer_server", params: {}, text: "Something new" })).toBe("Something new")
    // The plugin's note first, then what a person wrote.
    expect(notesLabel(g, { note: "Paket beschädigt", system_note: { code: "bank_payout", params: { line: 4 }, text: "" } })).toBe(
      "Ausgezahlt: Kontoauszugszeile 4 · Paket beschädigt"
    )
    expect(notesLabel(g, { note: null, system_note: null })).toBe("")
    // Every code the server writes has words in all three languages, and the server's English is the admin's.
    for (const code of SYSTEM_NOTE_CODES) {
      for (const catalogue of [en, de, zhCN] as unknown as Tree[]) {
        expect(flatten(catalogue)[`notes.${code}`]).toEqual(expect.any(String))
      }
      const note = { code, params: { reason: "other", line: 3, reference: "re_1", paid: 1, total: 2, currency_code: "eur", pay_by: "2026-12-01T10:00:00.000Z" } }
      expect(systemNoteLabel(t, { ...note, text: "" }, "en")).toBe(systemNoteText(note, "en"))
    }
  })

  it("says job schedules in words, in the admin's language", () => {
    expect(formatSchedule("*/15 * * * *")).toBe("Every 15 minutes")
    expect(formatSchedule("*/15 * * * *", "de")).toBe("Alle 15 Minuten")
    expect(formatSchedule("*/30 * * * *", "zh-CN")).toBe("每隔 30 分钟")
    expect(formatSchedule("0 9 * * 1-5", "de")).toBe("Um 09:00, Montag bis Freitag")
    // A schedule the library cannot read is shown as written.
    expect(formatSchedule("every day")).toBe("every day")
  })

  it("gives Chinese its plural words under the base key, which i18next looks up for \"zhCN\"", () => {
    const settings = withPluralBaseKeys(zhCN as unknown as Tree).settings as Tree
    expect([settings.hours, settings.hours_other]).toEqual(["{{count}} 小时", "{{count}} 小时"])
    // A base key a catalogue has itself stays as written.
    expect(withPluralBaseKeys({ a: "base", a_other: "plural" })).toEqual({ a: "base", a_other: "plural" })
  })

  it("maps the dashboard's language codes to Intl locales", () => {
    expect(localeOf("en")).toBeUndefined()
    expect(localeOf("de")).toBe("de")
    expect(localeOf("zhCN")).toBe("zh-CN")
  })

  it("compares amounts exactly, before any confirmation", () => {
    expect(toScaledAmount("49.90")).toBe(499000n)
    expect(toScaledAmount("49,9")).toBe(499000n)
    expect(toScaledAmount(0.1 + 0.2)).toBe(3000n)
    expect(toScaledAmount("abc")).toBeNull()
    expect(amountError("110", 110)).toBeNull()
    expect(amountError("110.01", 110)).toBe("too_much")
    expect(amountError("0", 110)).toBe("positive")
    expect(amountError("-5", 110)).toBe("positive")
    expect(amountError("", 110)).toBe("invalid")
    expect(amountError("55.005", 55.01)).toBeNull()
  })

  it("says the server's payee errors under their field, in words and in the admin's language", () => {
    const cases = [
      ["Invalid request: payout_account.iban: is not a valid IBAN", "iban", "This is not a valid IBAN.", "Das ist keine gültige IBAN."],
      ["Invalid request: name: at most 70 characters (SEPA)", "name", "At most 70 characters.", "Höchstens 70 Zeichen."],
      ["Invalid request: payout_account.name: only the SEPA characters A-Z, a-z, 0-9, space and / - ? : ( ) . , ' + (write ü as ue, ß as ss)", "name", expect.stringContaining("ü as ue"), expect.stringContaining("ü als ue")],
      ["Invalid request: bic: is not a valid BIC", "bic", "This is not a valid BIC.", "Das ist keine gültige BIC."],
    ] as const
    for (const [message, field, english, german] of cases) {
      expect(payeeFieldOf(message)).toBe(field)
      expect(payeeMessage(translator(en), field, message)).toEqual(english)
      expect(payeeMessage(translator(de), field, message)).toEqual(german)
    }
    // A refusal about the refund, not a field (an exported refund's 409), stays the server's own.
    expect(payeeFieldOf("Refund pdref_01 is in SEPA export pdpex_01 already: its payout account can no longer change")).toBeNull()
    expect(payeeLine({ name: "Erika Mustermann", iban_masked: "••••••••••••••4300", bic: null, source: "refund" })).toBe("Erika Mustermann · •••• 4300")
  })
})
