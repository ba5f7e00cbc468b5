import de from "../../admin/i18n/json/de.json"
import en from "../../admin/i18n/json/en.json"
import zhCN from "../../admin/i18n/json/zh-cn.json"
import { formatAmount, formatPayBy } from "../bank-transfer/payment-instructions"

/**
 * The languages the plugin speaks (the admin's three): what the server writes
 * itself (the admin bell, system notes as English text for API readers) uses
 * the admin's own catalogues, so a word is the same on the server and in the
 * admin.
 */
export const SERVER_LANGUAGES = ["en", "de", "zh-CN"] as const
export type ServerLanguage = (typeof SERVER_LANGUAGES)[number]

type Catalogue = { [key: string]: string | Catalogue }
const CATALOGUES: Record<ServerLanguage, Catalogue> = { en, de, "zh-CN": zhCN }

function lookup(catalogue: Catalogue, key: string): string | null {
  let node: string | Catalogue | undefined = catalogue
  for (const part of key.split(".")) {
    if (!node || typeof node === "string") return null
    node = node[part]
  }
  return typeof node === "string" ? node : null
}

/**
 * A string of the admin's catalogue in `language` (English when that
 * language lacks it), its `{{name}}` placeholders filled from `params`; the
 * key itself when no catalogue has it, so a missing string shows in tests.
 */
export function serverText(language: ServerLanguage, key: string, params: Record<string, string | number> = {}): string {
  const template = lookup(CATALOGUES[language], key) ?? lookup(CATALOGUES.en, key)
  if (template === null) {
    return key
  }
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** Whether the catalogue has `key` (in English). */
export function hasServerText(key: string): boolean {
  return lookup(CATALOGUES.en, key) !== null
}

/** A code in words from the catalogue's `group` ("actions", "methods", ...), else the code as it is; "" for none. */
export function codeText(language: ServerLanguage, group: string, code: string | null | undefined): string {
  if (!code) return ""
  return hasServerText(`${group}.${code}`) ? serverText(language, `${group}.${code}`) : code
}

/** An amount as `language` writes money ("60,00 €"); the amount and code for a currency Intl does not know. */
export function moneyText(language: ServerLanguage, amount: number | string, currency: string): string {
  const value = Number(amount)
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency: currency.toUpperCase() }).format(value)
  } catch {
    return `${value} ${currency.toUpperCase()}`
  }
}

/**
 * Who acted, in words: a person by the name the server looked up (else
 * email), the system by its job ("Auto-close job"), else the kind of actor.
 */
export function actorText(
  language: ServerLanguage,
  actor: { type: string; id?: string | null; name?: string | null; email?: string | null }
): string {
  if (actor.type === "system") {
    return actor.id && hasServerText(`systemActors.${actor.id}`)
      ? serverText(language, `systemActors.${actor.id}`)
      : serverText(language, "actorTypes.system")
  }
  return actor.name || actor.email || codeText(language, "actorTypes", actor.type)
}

/**
 * The plugin's language for a BCP 47 tag such as an order's `locale`
 * ("de-AT" → `de`, "zh-Hans-CN" or "zh-SG" → `zh-CN`, "en-GB" → `en`);
 * `fallback` for no tag, a language the plugin does not speak, or
 * Traditional Chinese (`zh-TW`, `zh-HK`, `zh-Hant`), which its Simplified
 * catalogue does not serve.
 */
export function languageOf(tag: string | null | undefined, fallback: ServerLanguage): ServerLanguage {
  if (!tag) return fallback
  const parts = tag.toLowerCase().split(/[-_]/)
  if (parts[0] === "en") return "en"
  if (parts[0] === "de") return "de"
  if (parts[0] === "zh") {
    const traditional = parts.includes("hant") || parts.includes("tw") || parts.includes("hk") || parts.includes("mo")
    return traditional ? fallback : "zh-CN"
  }
  return fallback
}

/**
 * An amount in a customer email: `"110.00 EUR"` in English (what the
 * storefront's instructions print), else as the language writes money
 * (`"110,00 €"`).
 */
export function emailMoneyText(language: ServerLanguage, amount: number | string, currency: string): string {
  if (language === "en") {
    return formatAmount(amount, currency)
  }
  return moneyText(language, amount, currency)
}

/**
 * A deadline in a customer email, in UTC: `"2026-11-25 16:30 UTC"` in
 * English, else as the language writes a date and time
 * (`"25.11.2026, 16:30 UTC"`, `"2026/11/25 16:30 UTC"`).
 */
export function emailDateText(language: ServerLanguage, value: string | Date): string {
  if (language === "en") {
    return formatPayBy(value)
  }
  const date = new Date(value)
  const text = new Intl.DateTimeFormat(language, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: "UTC",
  }).format(date)
  return `${text} UTC`
}
