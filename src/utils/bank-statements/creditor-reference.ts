import { isValidCreditorReference } from "../bank-transfer/rf-reference"

const START = /(?<![A-Za-z0-9])RF[0-9]{2}/gi
const FIRST_GROUP = /^[A-Za-z0-9]+/
const NEXT_GROUP = /^ [A-Za-z0-9]+/

/**
 * Every ISO 11649 creditor reference (`RF` + 2 check digits + up to 21
 * letters and digits) in free text, in the order they appear, without spaces
 * and in upper case. Banks print them in groups of four
 * (`RF18 5390 0754 7034`), so single spaces may separate groups; only a
 * reference whose check digits are valid counts, and of the candidates from
 * one start that end at a word boundary the longest valid one wins.
 */
export function findCreditorReferences(text: string | null | undefined): string[] {
  if (!text) {
    return []
  }
  const found: string[] = []
  // Where the last reference taken ends: a later "RF.." inside it is part of it, not a reference of its own.
  let takenUntil = 0
  for (const start of text.matchAll(START)) {
    const index = start.index ?? 0
    if (index < takenUntil) {
      continue
    }
    let rest = text.slice(index)
    let read = 0
    let candidate = ""
    let best: { reference: string; end: number } | null = null
    let group = FIRST_GROUP.exec(rest)
    while (group) {
      candidate += group[0].trim()
      read += group[0].length
      rest = rest.slice(group[0].length)
      if (candidate.length > 25) {
        break
      }
      if (isValidCreditorReference(candidate)) {
        best = { reference: candidate.toUpperCase(), end: index + read }
      }
      group = NEXT_GROUP.exec(rest)
    }
    if (best) {
      found.push(best.reference)
      takenUntil = best.end
    }
  }
  return found
}

/** The first creditor reference in free text (see {@link findCreditorReferences}), or null. */
export function findCreditorReference(text: string | null | undefined): string | null {
  return findCreditorReferences(text)[0] ?? null
}
