import { isValidCreditorReference } from "../bank-transfer/rf-reference"

const START = /(?<![A-Za-z0-9])RF[0-9]{2}/gi
const FIRST_GROUP = /^[A-Za-z0-9]+/
const NEXT_GROUP = /^ [A-Za-z0-9]+/

/**
 * The first ISO 11649 creditor reference (`RF` + 2 check digits + up to 21
 * letters and digits) in free text, without spaces and in upper case, or null.
 * Banks print it in groups of four (`RF18 5390 0754 7034`), so single spaces
 * may separate groups; only a reference whose check digits are valid counts,
 * and of the candidates ending at a word boundary the longest valid one wins.
 */
export function findCreditorReference(text: string | null | undefined): string | null {
  if (!text) {
    return null
  }
  for (const start of text.matchAll(START)) {
    let rest = text.slice(start.index ?? 0)
    let candidate = ""
    let best: string | null = null
    let group = FIRST_GROUP.exec(rest)
    while (group) {
      candidate += group[0].trim()
      rest = rest.slice(group[0].length)
      if (candidate.length > 25) {
        break
      }
      if (isValidCreditorReference(candidate)) {
        best = candidate.toUpperCase()
      }
      group = NEXT_GROUP.exec(rest)
    }
    if (best) {
      return best
    }
  }
  return null
}
