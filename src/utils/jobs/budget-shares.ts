/**
 * Splits a per-run budget (e.g. `refunds.reconcile_budget` Stripe calls)
 * over batches in proportion to what each needs (`needs[i]`, e.g. its Stripe
 * payments): each share is the floor of its proportion, and what rounding
 * leaves goes one by one to the first batches that need any. The shares add
 * up to the budget (or to 0 when nothing needs any), so a run split over
 * workers spends no more than one run in one process.
 */
export function budgetShares(budget: number, needs: number[]): number[] {
  const total = needs.reduce((sum, need) => sum + need, 0)
  if (!total || budget <= 0) {
    return needs.map(() => 0)
  }
  const shares = needs.map((need) => Math.floor((budget * need) / total))
  let left = budget - shares.reduce((sum, share) => sum + share, 0)
  while (left > 0) {
    for (let i = 0; left > 0 && i < needs.length; i++) {
      if (needs[i]) {
        shares[i]++
        left--
      }
    }
  }
  return shares
}
