import { sepaName } from "../sepa-name"

describe("sepaName: a payee's name in the SEPA character set", () => {
  it.each([
    ["Jürgen Groß", "Juergen Gross"],
    ["ÄRZTE ÖKO ÜBER", "AeRZTE OeKO UeBER"],
    ["José Núñez-Pérez", "Jose Nunez-Perez"],
    ["Łukasz Żółć", "Lukasz Zolc"],
    ["Åsa Ørsted", "Asa Orsted"],
    ["O'Brien & Sons", "O'Brien Sons"],
    ["  Erika   Mustermann ", "Erika Mustermann"],
  ])("%s → %s", (raw, expected) => {
    expect(sepaName(raw).name).toBe(expected)
  })

  it("notes a transliteration and says nothing when nothing changed", () => {
    expect(sepaName("Jürgen Groß")).toEqual({ name: "Juergen Gross", note: 'name "Jürgen Groß" written as "Juergen Gross" (SEPA characters)' })
    expect(sepaName("Erika Mustermann")).toEqual({ name: "Erika Mustermann", note: null })
  })

  it("cuts a name to 70 characters with a note", () => {
    const result = sepaName("Müller ".repeat(12))
    expect(result.name?.length).toBeLessThanOrEqual(70)
    expect(result).toMatchObject({ note: expect.stringContaining("name cut to 70 characters (SEPA)") })
  })

  it("answers why when nothing of the name can be written", () => {
    expect(sepaName("🙂🙂")).toEqual({ name: null, reason: 'the payee\'s name "🙂🙂" has no characters a SEPA file can carry: set the payout account\'s name' })
  })
})
