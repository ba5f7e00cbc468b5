import { resolvePaymentDeskOptions } from "../options"

describe("store_close option", () => {
  it("defaults to unpaid_only and accepts the three policies", () => {
    expect(resolvePaymentDeskOptions({}).store_close).toBe("unpaid_only")
    for (const policy of ["unpaid_only", "request", "immediate"]) {
      expect(resolvePaymentDeskOptions({ store_close: policy }).store_close).toBe(policy)
    }
  })

  it("refuses anything else, naming the option", () => {
    expect(() => resolvePaymentDeskOptions({ store_close: "ask" })).toThrow(
      "medusa-payment-desk option store_close must be one of unpaid_only, request, immediate"
    )
  })
})
