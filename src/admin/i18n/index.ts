import de from "./json/de.json"
import en from "./json/en.json"
import zhCN from "./json/zh-cn.json"

/**
 * The plugin's strings in English, German and Simplified Chinese, merged by
 * Medusa's admin into the dashboard's i18next `translation` namespace under
 * `paymentDesk` (language codes as the dashboard names them: "en", "de",
 * "zhCN"); the admin's language switch (Profile → Language) picks them.
 */
export default {
  en: { translation: { paymentDesk: en } },
  de: { translation: { paymentDesk: de } },
  zhCN: { translation: { paymentDesk: zhCN } },
}
