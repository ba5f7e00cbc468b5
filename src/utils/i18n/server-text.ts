import de from "../../admin/i18n/json/de.json"
import en from "../../admin/i18n/json/en.json"
import zhCN from "../../admin/i18n/json/zh-cn.json"

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
