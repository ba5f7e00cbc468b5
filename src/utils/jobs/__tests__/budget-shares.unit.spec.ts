import { budgetShares } from "../budget-shares"

describe("budgetShares", () => {
  it("splits in proportion, the rounding's rest to the first batches, adding up to the budget", () => {
    expect(budgetShares(100, [25, 25, 10])).toEqual([42, 42, 16])
    expect(budgetShares(100, [25, 25, 25, 25])).toEqual([25, 25, 25, 25])
    expect(budgetShares(10, [25, 25, 25, 25])).toEqual([3, 3, 2, 2])
    for (const [budget, needs] of [
      [7, [1, 1, 1]],
      [1, [5, 5]],
      [3, [0, 4, 0, 4]],
      [100, [1]],
    ] as [number, number[]][]) {
      const shares = budgetShares(budget, needs)
      expect(shares.reduce((a, b) => a + b, 0)).toBe(budget)
      shares.forEach((share, i) => needs[i] === 0 && expect(share).toBe(0))
    }
  })

  it("gives nothing when no batch needs any or there is no budget", () => {
    expect(budgetShares(100, [0, 0])).toEqual([0, 0])
    expect(budgetShares(0, [3, 4])).toEqual([0, 0])
    expect(budgetShares(100, [])).toEqual([])
  })
})
