import { findCreditorReference } from "../creditor-reference"

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
