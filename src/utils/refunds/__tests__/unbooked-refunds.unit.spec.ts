import { unbookedRefundsOf } from "../unbooked-refunds"
import type { OrderPaymentState } from "../../orders/read-order-payments"

const order = (refunds: { id: string; amount: number; metadata?: Record<string, unknown> | null }[]): OrderPaymentState => ({
  id: "order_1",
  display_id: 1,
  status: "pending",
  currency_code: "eur",
  customer_id: null,
  created_at: "2026-12-01T10:00:00Z",
  summary: null,
  payment_collections: [
    {
      id: "pay_col_1",
      status: "completed",
      amount: 210,
      captured_amount: 210,
      refunded_amount: 0,
      completed_at: null,
      payments: [
        {
          id: "pay_1",
          provider_id: "pp_manual_bank-transfer",
          amount: 210,
          currency_code: "eur",
          data: null,
          created_at: "2026-12-01T10:00:00Z",
          captured_at: "2026-12-01T10:00:00Z",
          canceled_at: null,
          captures: [{ id: "capt_1", amount: 210 }],
          refunds,
        },
      ],
    },
  ],
})

const figures = (rows: ReturnType<typeof unbookedRefundsOf>) => rows.map((row) => [row.refund_id, Number(row.amount)])

describe("unbookedRefundsOf", () => {
  it("finds the refunds of a Medusa cancel that lost their order transactions", () => {
    expect(figures(unbookedRefundsOf(order([{ id: "ref_1", amount: 210 }]), []))).toEqual([["ref_1", 210]])
  })

  it("counts a refund booked under its own id (core's refund, the ledger) or under its payment's (core's cancel)", () => {
    const refunds = [
      { id: "ref_1", amount: 30 },
      { id: "ref_2", amount: 180 },
    ]
    expect(figures(unbookedRefundsOf(order(refunds), [{ reference_id: "ref_1", amount: -30 }, { reference_id: "pay_1", amount: -180 }]))).toEqual([])
    // A payment-wide booking covers the oldest refunds first; what it does not reach is missing.
    expect(figures(unbookedRefundsOf(order(refunds), [{ reference_id: "pay_1", amount: -100 }]))).toEqual([["ref_2", 110]])
  })

  it("leaves the ledger's refunds to the ledger", () => {
    const refunds = [{ id: "ref_1", amount: 50, metadata: { recorded_by: "medusa-payment-desk", refund_request_id: "pdref_1" } }]
    expect(figures(unbookedRefundsOf(order(refunds), []))).toEqual([])
  })
})
