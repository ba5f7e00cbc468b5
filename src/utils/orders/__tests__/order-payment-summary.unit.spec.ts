import { summarizeOrderPayments } from "../order-payment-summary"
import type { OrderPaymentState } from "../read-order-payments"

const order = (over: Partial<OrderPaymentState> & { summary: OrderPaymentState["summary"] }): OrderPaymentState => ({
  id: "order_1",
  display_id: 6,
  status: "pending",
  currency_code: "eur",
  customer_id: null,
  created_at: "2026-11-20T10:00:00Z",
  payment_collections: [
    {
      id: "pay_col_1",
      status: "completed",
      amount: 210,
      captured_amount: 210,
      refunded_amount: 30,
      completed_at: null,
      payments: [
        {
          id: "pay_1",
          provider_id: "pp_manual_bank-transfer",
          amount: 210,
          currency_code: "eur",
          data: { payment_window_hours: 48, display_name: "Bank transfer" },
          created_at: "2026-11-20T10:00:00Z",
          captured_at: "2026-11-21T10:00:00Z",
          canceled_at: null,
          captures: [{ id: "capt_1", amount: 210 }],
          refunds: [{ id: "ref_1", amount: 30, metadata: { refund_request_id: "pdref_1" } }],
        },
      ],
    },
  ],
  ...over,
})

describe("order payment summary", () => {
  it("after a refund booked as core books it: nothing outstanding, the rest refundable", () => {
    // Core's refund of 30 on 210: credit line → total 180, pending difference 0.
    const summary = summarizeOrderPayments(
      order({ summary: { current_order_total: 180, paid_total: 210, refunded_total: 30, pending_difference: 0 } }),
      [{ id: "pdref_1", payment_id: "pay_1", amount: 30, currency_code: "eur", status: "succeeded", medusa_refund_id: "ref_1" }]
    )
    expect(summary).toMatchObject({
      total: 180,
      paid_total: 210,
      refunded_total: 30,
      outstanding_amount: 0,
      refundable_amount: 180,
      pending_refund_total: 0,
      awaiting_payout_total: 0,
      payment_method: "bank-transfer",
      pay_by: "2026-11-22T10:00:00.000Z",
    })
  })

  it("counts unsettled and awaiting-payout refunds apart, and a canceled order owes nothing", () => {
    const summary = summarizeOrderPayments(
      order({ status: "canceled", summary: { current_order_total: 210, paid_total: 100, refunded_total: 0, pending_difference: 110 } }),
      [
        { id: "pdref_1", payment_id: "pay_1", amount: 30, currency_code: "eur", status: "awaiting_payout", medusa_refund_id: "ref_1" },
        { id: "pdref_2", payment_id: "pay_1", amount: 20, currency_code: "eur", status: "pending" },
      ]
    )
    expect(summary).toMatchObject({ outstanding_amount: 0, awaiting_payout_total: 30, pending_refund_total: 20, refundable_amount: 160 })
  })
})
