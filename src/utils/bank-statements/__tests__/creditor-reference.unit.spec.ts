import { findCreditorReference, findCreditorReferences } from "../creditor-reference"

describe("findCreditorReference", () => {
  it.each([
    ["RF18539007547034", "RF18539007547034"],
    ["Payment RF18 5390 0754 7034 thanks", "RF18539007547034"],
    ["ref:rf18 5390 0754 7034.", "RF18539007547034"],
    ["Bestellung 1001 RF401001", "RF401001"],
    ["RF40 1001 Bestellung 1001", "RF401001"],
    ["first RF19539007547034 (bad) then RF83 1003", "RF831003"],
    ["RF18000000000539007547034", "RF18000000000539007547034"],
  ])("finds the reference in %j", (text, expected) => {
    expect(findCreditorReference(text)).toBe(expected)
  })

  it.each([
    ["RF19539007547034", "wrong check digits"],
    ["XRF18539007547034", "glued to a word before it"],
    ["RF18539007547034X", "glued to a letter after it"],
    ["RF18  5390 0754 7034", "two spaces inside (no longer one reference)"],
    ["Order 1001", "no reference at all"],
    ["", "empty text"],
  ])("finds nothing in %j (%s)", (text) => {
    expect(findCreditorReference(text)).toBeNull()
  })

  it("accepts null", () => {
    expect(findCreditorReference(null)).toBeNull()
  })
})

describe("findCreditorReferences", () => {
  it("finds every valid reference in the order written, normalized", () => {
    expect(findCreditorReferences("RF40 1001 and rf83 1003, also RF18 5390 0754 7034.")).toEqual([
      "RF401001",
      "RF831003",
      "RF18539007547034",
    ])
  })

  it("skips references with bad check digits, glued to a word, or with two spaces inside", () => {
    expect(findCreditorReferences("RF19539007547034 XRF401001 RF83  1003 then RF401001")).toEqual(["RF401001"])
    expect(findCreditorReferences("RF00 1234 nothing valid")).toEqual([])
  })

  it("does not count an RF group inside a longer reference as a reference of its own", () => {
    // RF611001RF831003 is valid as a whole, and its groups "RF83 1003" are a valid reference too.
    expect(findCreditorReferences("Ref RF61 1001 RF83 1003")).toEqual(["RF611001RF831003"])
  })

  it("is what findCreditorReference returns the first of", () => {
    const text = "first RF19539007547034 (bad) then RF83 1003 and RF401001"
    expect(findCreditorReferences(text)).toEqual(["RF831003", "RF401001"])
    expect(findCreditorReference(text)).toBe(findCreditorReferences(text)[0])
  })

  it("accepts null and empty text", () => {
    expect(findCreditorReferences(null)).toEqual([])
    expect(findCreditorReferences(undefined)).toEqual([])
    expect(findCreditorReferences("")).toEqual([])
  })
})
