import { transliterate } from "transliteration"

/** The most characters a SEPA name (`Nm` of a party) may hold. */
export const SEPA_NAME_MAX = 70

/** The Latin characters every SEPA bank accepts in a name (EPC basic set). */
export const SEPA_NAME_CHARACTERS = /^[A-Za-z0-9/\-?:().,'+ ]*$/

// German spelling first (a bank's payee check reads "Groß" as "Gross", "Müller" as "Mueller");
// the library gives every other script and accent its Latin form (é → e, Ł → L, 张伟 → Zhang Wei).
const GERMAN = { ä: "ae", ö: "oe", ü: "ue", Ä: "Ae", Ö: "Oe", Ü: "Ue", ß: "ss", ẞ: "SS" }

/** A payee's name as a SEPA file can carry it, with what was changed, or why it cannot be carried. */
export type SepaName = { name: string; note: string | null } | { name: null; reason: string }

/**
 * A name in the SEPA character set: transliterated (`Jürgen Groß` →
 * `Juergen Gross`, `José Núñez` → `Jose Nunez`), characters that have no
 * Latin form and are not in the set dropped, spaces collapsed, and cut to
 * {@link SEPA_NAME_MAX} characters; `note` says what was changed, null when
 * nothing was. `name: null` with a reason when nothing of the name is left.
 */
export function sepaName(raw: string): SepaName {
  const given = (raw ?? "").replace(/\s+/g, " ").trim()
  const latin = transliterate(given, { replace: GERMAN, unknown: "" })
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, "")
    .replace(/\s+/g, " ")
    .trim()
  if (!latin) {
    return { name: null, reason: `the payee's name "${given}" has no characters a SEPA file can carry: set the payout account's name` }
  }
  const notes: string[] = []
  if (latin !== given) {
    notes.push(`name "${given}" written as "${latin}" (SEPA characters)`)
  }
  let name = latin
  if (name.length > SEPA_NAME_MAX) {
    name = name.slice(0, SEPA_NAME_MAX).trim()
    notes.push(`name cut to ${SEPA_NAME_MAX} characters (SEPA): "${name}"`)
  }
  return { name, note: notes.length ? notes.join("; ") : null }
}
