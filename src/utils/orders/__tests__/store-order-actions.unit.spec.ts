import { storeOrderActions } from "../store-order-payment"

const base = { owner: true, closed: false, request_open: false, holds_money: false, policy: "unpaid_only" as const }

describe("storeOrderActions: the buttons a storefront offers under store_close", () => {
  it.each([
    // policy, holds money, close, request
    ["unpaid_only", false, true, false],
    ["unpaid_only", true, false, false],
    ["request", false, true, false],
    ["request", true, false, true],
    ["immediate", false, true, false],
    ["immediate", true, true, false],
  ] as const)("%s, holds money %s: close %s, request %s", (policy, holds_money, close, request_cancellation) => {
    expect(storeOrderActions({ ...base, policy, holds_money })).toEqual({ close, request_cancellation })
  })

  it.each([
    ["a guest or another customer", { owner: false }],
    ["a closed order", { closed: true }],
    ["an order with an open request", { request_open: true }],
  ])("offers nothing to %s", (_, state) => {
    for (const policy of ["unpaid_only", "request", "immediate"] as const) {
      for (const holds_money of [false, true]) {
        expect(storeOrderActions({ ...base, policy, holds_money, ...state })).toEqual({ close: false, request_cancellation: false })
      }
    }
  })
})
