// The IBAN and currency checks of the CSV profile options (csv-profile.ts) and of the bank
// statement readers: here, in the module, because the module's own option checks need them.
import { electronicFormatIBAN, isValidIBAN } from "ibantools"

/** An account id as written, in IBAN electronic form (no spaces, upper case); null when empty. */
export function electronicIban(value: string | null | undefined): string | null {
  if (!value) {
    return null
  }
  return electronicFormatIBAN(value) || null
}

/** Whether a string (spaces allowed) is an IBAN with valid check digits. */
export function isIban(value: string | null | undefined): boolean {
  const electronic = electronicIban(value)
  return electronic !== null && isValidIBAN(electronic)
}

/** Whether a string is an ISO 4217 currency code the runtime knows. */
export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Za-z]{3}$/.test(code)) {
    return false
  }
  return KNOWN_CURRENCIES === null || KNOWN_CURRENCIES.has(code.toUpperCase())
}
// Intl.supportedValuesOf is ES2022, newer than the lib this project compiles against; read once (a list of ~300 per call showed in imports).
const supportedValuesOf = (Intl as unknown as { supportedValuesOf?: (key: "currency") => string[] }).supportedValuesOf
const KNOWN_CURRENCIES: Set<string> | null = supportedValuesOf ? new Set(supportedValuesOf("currency")) : null
