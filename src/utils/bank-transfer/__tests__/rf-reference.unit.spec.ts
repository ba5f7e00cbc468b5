import {
  creditorReference,
  creditorReferenceOf,
  isValidCreditorReference,
  printCreditorReference,
} from "../rf-reference"

describe("ISO 11649 creditor references", () => {
  it.each([
    ["RF18539007547034"],
    ["RF18 5390 0754 7034"],
    ["rf18 5390 0754 7034"],
    ["RF712348231"],
    ["RF18000000000539007547034"],
  ])("accepts the standard's valid example %s", (reference) => {
    expect(isValidCreditorReference(reference)).toBe(true)
  })

  it.each([
    ["RF19539007547034", "wrong check digits"],
    ["RF18539007547035", "a changed digit"],
    ["RF81539007547034", "swapped check digits"],
    ["RF18", "no body"],
    ["RF1853900754703412345678901", "a body over 21 characters"],
    ["XX18539007547034", "not starting with RF"],
    ["RF18-5390-0754-7034", "characters other than letters and digits"],
    ["", "nothing"],
  ])("refuses %s (%s)", (reference) => {
    expect(isValidCreditorReference(reference)).toBe(false)
  })

  it("computes the check digits of the standard's examples", () => {
    expect(creditorReferenceOf("539007547034")).toBe("RF18539007547034")
    expect(creditorReferenceOf("2348231")).toBe("RF712348231")
    expect(creditorReferenceOf("000000000539007547034")).toBe("RF18000000000539007547034")
  })

  it("derives an order's reference from its display id, valid when read back", () => {
    for (const displayId of [1, 2, 9, 10, 12, 97, 98, 99, 100, 12345, 2_147_483_647]) {
      const reference = creditorReference(displayId)
      expect(reference).toMatch(new RegExp(`^RF[0-9]{2}${displayId}$`))
      expect(isValidCreditorReference(reference)).toBe(true)
      expect(isValidCreditorReference(printCreditorReference(reference))).toBe(true)
    }
    expect(creditorReference(12)).toBe("RF6812")
    expect(creditorReference("12")).toBe("RF6812")
    // A mistyped reference of another order is caught by its check digits.
    expect(isValidCreditorReference(creditorReference(12).replace(/12$/, "21"))).toBe(false)
  })

  it("prints a reference in groups of four", () => {
    expect(printCreditorReference("RF18539007547034")).toBe("RF18 5390 0754 7034")
    expect(printCreditorReference("rf712348231")).toBe("RF71 2348 231")
  })

  it("refuses display ids and bodies it cannot encode", () => {
    expect(() => creditorReference(-1)).toThrow("must be a whole number")
    expect(() => creditorReference(1.5)).toThrow("must be a whole number")
    expect(() => creditorReferenceOf("1234567890123456789012")).toThrow("1 to 21 letters and digits")
  })
})
