import cronstrue from "cronstrue/i18n"

/** An amount in the order's currency, e.g. "€110.00"; `locale` is the admin's language (undefined: the browser's). */
export function formatMoney(amount: number, currencyCode: string, locale?: string): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: currencyCode.toUpperCase(),
  }).format(amount)
}

/** A date and time in the admin's locale, or an em dash. */
export function formatDateTime(value: string | null | undefined, locale?: string): string {
  if (!value) {
    return "—"
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value))
}

/** A calendar day in the admin's locale ("23 Nov"), for chart axes. */
export function formatDay(value: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" }).format(new Date(value))
}

/** An IBAN or creditor reference in groups of four ("DE89 3704 0044 ..."), easier to read out. */
export function formatInGroupsOfFour(value: string): string {
  return value.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ")
}

/** The order's payment reference as printed: an RF reference in groups of four, a display id as it is. */
export function formatReference(reference: string): string {
  return /^RF[0-9]{2}/i.test(reference) ? formatInGroupsOfFour(reference) : reference
}

/**
 * A decimal amount as an integer count of 1/10000 units, so amounts compare
 * exactly (no float arithmetic); null when `value` is not a plain decimal.
 */
export function toScaledAmount(value: string | number): bigint | null {
  const text = typeof value === "number" ? value.toFixed(4) : value.trim()
  const match = /^(-)?(\d+)(?:[.,](\d{0,4})\d*)?$/.exec(text)
  if (!match) {
    return null
  }
  const units = BigInt(match[2]) * 10000n + BigInt((match[3] ?? "").padEnd(4, "0"))
  return match[1] ? -units : units
}

/** Why `amount` cannot be taken against `limit` (outstanding or refundable), or null when it can. */
export function amountError(amount: string, limit: number): "invalid" | "positive" | "too_much" | null {
  const value = toScaledAmount(amount)
  if (value === null) {
    return "invalid"
  }
  if (value <= 0n) {
    return "positive"
  }
  const max = toScaledAmount(limit)
  return max !== null && value > max ? "too_much" : null
}

/**
 * A job's cron schedule in words, in the admin's language ("Every 15
 * minutes", "Alle 15 Minuten", "每隔 15 分钟"), by the `cronstrue` library;
 * the schedule as written when it cannot be read.
 */
export function formatSchedule(cron: string, locale?: string): string {
  const language = locale?.startsWith("zh") ? "zh_CN" : locale?.startsWith("de") ? "de" : "en"
  try {
    return cronstrue.toString(cron, { locale: language, use24HourTimeFormat: true, throwExceptionOnParseError: true })
  } catch {
    return cron
  }
}
