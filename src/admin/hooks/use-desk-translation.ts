import { useTranslation } from "react-i18next"

/** Translates a key of the plugin's own namespace (`paymentDesk.*` in the dashboard's `translation` resources). */
export type Translate = (key: string, values?: Record<string, unknown>) => string

/** The dashboard's language code mapped to a BCP 47 locale for `Intl` ("zhCN" → "zh-CN"); undefined keeps the browser's. */
export function localeOf(language: string | undefined): string | undefined {
  if (!language || language === "en") {
    return undefined
  }
  const match = /^([a-z]{2})([A-Z]{2})$/.exec(language)
  return match ? `${match[1]}-${match[2]}` : language
}

/**
 * The plugin's strings in the admin's language (Profile → Language), through
 * the dashboard's i18next; `locale` formats money and dates to match.
 */
export function useDeskTranslation(): { t: Translate; locale: string | undefined; language: string } {
  const { t, i18n } = useTranslation()
  return {
    t: (key, values) => String(t(`paymentDesk.${key}`, values ?? {})),
    locale: localeOf(i18n.language),
    language: i18n.language,
  }
}
