import { closureCounters } from "../count-closure"

const base = { reason: "other", payment_method: "bank-transfer", customer_id: "cus_1", sales_channel_id: "sc_1" }

describe("closureCounters", () => {
  it("counts a close against the customer only when the customer closed it", () => {
    const mine = closureCounters({ ...base, actor_type: "customer", actor_id: "cus_1" })
    expect(mine).toContainEqual({ scope: "customer:cus_1", name: "closed" })
    for (const actor_type of ["user", "system"]) {
      const theirs = closureCounters({ ...base, actor_type, actor_id: actor_type === "user" ? "user_1" : null })
      expect(theirs.some((c) => c.scope.startsWith("customer:"))).toBe(false)
      expect(theirs).toContainEqual({ scope: "global", name: `closed_by.${actor_type}` })
    }
  })
})
