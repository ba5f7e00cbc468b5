import { MathBN } from "@medusajs/framework/utils"
import { refundableOf } from "../refundable"

const payment = {
  id: "pay_1",
  captures: [{ amount: 100 }, { amount: 10 }],
  refunds: [
    { id: "ref_ledger", amount: 30, metadata: { refund_request_id: "pdref_1" } },
    { id: "ref_core", amount: 5, metadata: null },
  ],
}
const n = (value: unknown) => MathBN.convert(value as number).toNumber()

describe("refundable amount", () => {
  it("is captured minus ledger refunds that left, are leaving or may leave, minus refunds outside the ledger", () => {
    const ledger = [
      { id: "pdref_1", payment_id: "pay_1", status: "succeeded", amount: 30, medusa_refund_id: "ref_ledger" },
      { id: "pdref_2", payment_id: "pay_1", status: "pending", amount: 20 },
      { id: "pdref_3", payment_id: "pay_1", status: "awaiting_payout", amount: 10 },
      { id: "pdref_4", payment_id: "pay_1", status: "failed", amount: 40 },
      { id: "pdref_5", payment_id: "pay_1", status: "canceled", amount: 40 },
      { id: "pdref_6", payment_id: "pay_other", status: "succeeded", amount: 99 },
    ]
    const result = refundableOf(payment, ledger)
    expect(n(result.captured)).toBe(110)
    expect(n(result.ledger_open_or_done)).toBe(60)
    // Medusa's own refund of 5 is not the ledger's; the ledger's refund row is not counted twice.
    expect(n(result.refunded_outside_ledger)).toBe(5)
    expect(n(result.refundable)).toBe(45)
  })

  it("counts a Medusa refund booked by a run that died before its row was updated once (by its metadata)", () => {
    const ledger = [{ id: "pdref_1", payment_id: "pay_1", status: "pending", amount: 30, medusa_refund_id: null }]
    expect(n(refundableOf(payment, ledger).refundable)).toBe(110 - 30 - 5)
  })

  it("leaves a retried row out and never goes below zero", () => {
    const ledger = [{ id: "pdref_9", payment_id: "pay_1", status: "pending", amount: 200 }]
    expect(n(refundableOf(payment, ledger).refundable)).toBe(0)
    // Both Medusa refunds are outside this ledger: 110 − 30 − 5.
    expect(n(refundableOf(payment, ledger, "pdref_9").refundable)).toBe(75)
  })
})
