import { unpaidCollectionOf } from "../unpaid-collection"
import type { OrderPayment, OrderPaymentCollection } from "../read-order-payments"

const payment = (over: Partial<OrderPayment> = {}): OrderPayment => ({
  id: "pay_1",
  provider_id: "pp_system_default",
  amount: 100,
  currency_code: "eur",
  data: {},
  created_at: "2026-12-01T10:00:00Z",
  captured_at: null,
  canceled_at: "2026-12-01T10:00:01Z",
  captures: [],
  refunds: [],
  payment_session_id: "payses_1",
  ...over,
})

const collection = (over: Partial<OrderPaymentCollection> = {}): OrderPaymentCollection => ({
  id: "pay_col_1",
  status: "authorized",
  amount: 100,
  captured_amount: 0,
  refunded_amount: 0,
  completed_at: null,
  payments: [payment()],
  payment_sessions: [{ id: "payses_1", provider_id: "pp_system_default", status: "authorized" }],
  ...over,
})

describe("unpaidCollectionOf", () => {
  it("takes an unpaid collection with no session as it is", () => {
    expect(unpaidCollectionOf(collection({ status: "not_paid", payments: [], payment_sessions: [] }))).toEqual({
      collection: expect.objectContaining({ id: "pay_col_1" }),
      dead_session_ids: [],
    })
  })

  it("takes the collection a failed mark-as-paid left authorized, its session dead (authorized, its payment canceled)", () => {
    expect(unpaidCollectionOf(collection())?.dead_session_ids).toEqual(["payses_1"])
  })

  it("leaves a collection alone while a session on it may still be paid, whatever the collection's status", () => {
    for (const status of ["pending", "requires_more", "error", "pending_authorization"]) {
      const sessions = [
        { id: "payses_1", provider_id: "pp_system_default", status: "authorized" },
        { id: "payses_2", provider_id: "pp_stripe_stripe", status },
      ]
      expect([status, unpaidCollectionOf(collection({ payment_sessions: sessions }))]).toEqual([status, null])
      expect([status, unpaidCollectionOf(collection({ status: "not_paid", payments: [], payment_sessions: [sessions[1]] }))]).toEqual([status, null])
    }
  })

  it("leaves a collection alone with a live payment, a capture or a refund on it, or completed or canceled", () => {
    const cases = [
      collection({ payments: [payment({ canceled_at: null })] }),
      collection({ payments: [payment({ captures: [{ id: "capt_1", amount: 50 }] })] }),
      collection({ payments: [payment({ refunds: [{ id: "ref_1", amount: 50 }] })] }),
      collection({ captured_amount: 50 }),
      collection({ status: "completed" }),
      collection({ status: "canceled" }),
      // An authorized session whose payment is not on the collection: not known to be dead.
      collection({ payments: [] }),
    ]
    expect(cases.map(unpaidCollectionOf)).toEqual(cases.map(() => null))
  })
})
