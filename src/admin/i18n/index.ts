import de from "./json/de.json"
import en from "./json/en.json"
import zhCN from "./json/zh-cn.json"

type Tree = { [key: string]: string | Tree }

/**
 * The catalogue with each plural key's `_other` form also under its base key
 * (`hours_other` → `hours`). The dashboard names Chinese "zhCN", which
 * `Intl.PluralRules` does not know, so i18next finds no plural rule for it,
 * looks the base key up, and without this fell back to English ("48 hours").
 */
export function withPluralBaseKeys(tree: Tree): Tree {
  const out: Tree = {}
  for (const [key, value] of Object.entries(tree)) {
    out[key] = typeof value === "string" ? value : withPluralBaseKeys(value)
  }
  for (const [key, value] of Object.entries(tree)) {
    const base = key.replace(/_other$/, "")
    if (base !== key && typeof value === "string" && !(base in out)) {
      out[base] = value
    }
  }
  return out
}

/**
 * The plugin's strings in English, German and Simplified Chinese, merged by
 * Medusa's admin into the dashboard's i18next `translation` namespace under
 * `paymentDesk` (language codes as the dashboard names them: "en", "de",
 * "zhCN"); the admin's language switch (Profile → Language) picks them.
 */
export default {
  en: { translation: { paymentDesk: en } },
  de: { translation: { paymentDesk: de } },
  zhCN: { translation: { paymentDesk: withPluralBaseKeys(zhCN as Tree) } },
}
