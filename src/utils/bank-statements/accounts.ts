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
