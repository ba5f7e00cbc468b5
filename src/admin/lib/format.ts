/** An amount in the order's currency, e.g. "€110.00". */
export function formatMoney(amount: number, currencyCode: string): string {
  return new Intl.NumberFormat(undefined, {
    style: "currency",
    currency: currencyCode.toUpperCase(),
  }).format(amount)
}

/** A date and time in the browser's locale, or an em dash. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) {
    return "—"
  }
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(value)
  )
}

/** An IBAN or creditor reference in groups of four ("DE89 3704 0044 ..."), easier to read out. */
export function formatInGroupsOfFour(value: string): string {
  return value.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ")
}

/** The order's payment reference as printed: an RF reference in groups of four, a display id as it is. */
export function formatReference(reference: string): string {
  return /^RF[0-9]{2}/i.test(reference) ? formatInGroupsOfFour(reference) : reference
}
