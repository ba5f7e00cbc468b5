/**
 * ISO 11649 creditor references ("RF" + 2 check digits + up to 21 letters and
 * digits), checked with ISO 7064 MOD 97-10 like an IBAN.
 */

const BODY = /^[A-Z0-9]{1,21}$/
const REFERENCE = /^RF[0-9]{2}[A-Z0-9]{1,21}$/

/** The digits of a string whose letters count as A=10 … Z=35, modulo 97. */
function mod97(value: string): number {
  let remainder = 0
  for (const char of value) {
    const digits = /[0-9]/.test(char) ? char : String(char.charCodeAt(0) - 55)
    for (const digit of digits) {
      remainder = (remainder * 10 + Number(digit)) % 97
    }
  }
  return remainder
}

/** The reference without spaces, in upper case: the form a bank stores and a QR code carries. */
export function electronicCreditorReference(value: string): string {
  return value.replace(/\s+/g, "").toUpperCase()
}

/** The reference in groups of four ("RF18 5390 0754 7034"): the form printed for people. */
export function printCreditorReference(value: string): string {
  return electronicCreditorReference(value).replace(/(.{4})(?=.)/g, "$1 ")
}

/** The creditor reference of a reference body (letters and digits, at most 21). */
export function creditorReferenceOf(body: string): string {
  const normalized = electronicCreditorReference(body)
  if (!BODY.test(normalized)) {
    throw new Error(`A creditor reference body must be 1 to 21 letters and digits, got "${body}"`)
  }
  const check = 98 - mod97(`${normalized}RF00`)
  return `RF${String(check).padStart(2, "0")}${normalized}`
}

/** The creditor reference of an order, from its display id (order 12 → "RF6812"). */
export function creditorReference(displayId: number | string): string {
  const body = String(displayId)
  if (!/^[0-9]+$/.test(body)) {
    throw new Error(`An order's display id must be a whole number, got "${body}"`)
  }
  return creditorReferenceOf(body)
}

/** Whether a string (spaces allowed, any case) is an ISO 11649 reference with correct check digits. */
export function isValidCreditorReference(value: string): boolean {
  const normalized = electronicCreditorReference(value)
  if (!REFERENCE.test(normalized)) {
    return false
  }
  return mod97(`${normalized.slice(4)}${normalized.slice(0, 4)}`) === 1
}
