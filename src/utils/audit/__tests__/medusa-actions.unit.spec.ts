import { isMarkAsPaid, isPluginCapture, isPluginRefund, MedusaPaymentRead, medusaAuditEntries } from "../medusa-actions"
import { auditCsvRecord, AUDIT_CSV_COLUMNS } from "../audit-view"

const payment = (over: Partial<MedusaPaymentRead> = {}): MedusaPaymentRead => ({
  id: "pay_1",
  provider_id: "pp_manual_bank-transfer",
  amount: 210,
  currency_code: "eur",
  created_at: "2026-11-20T10:00:00.000Z",
  checkout_collection: true,
  captures: [],
  refunds: [],
  ...over,
})

describe("the audit of Medusa's own money buttons", () => {
  it("tells mark-as-paid (authorized and captured in full at once, on no cart's collection) from a capture", () => {
    const capture = { id: "capt_1", amount: 210, created_at: "2026-11-20T10:00:00.200Z", created_by: "user_1" }
    const draft = payment({ checkout_collection: false, captures: [capture] })
    expect(isMarkAsPaid(draft, capture)).toBe(true)
    expect(isMarkAsPaid({ ...draft, checkout_collection: true }, capture)).toBe(false)
    const later = { ...capture, created_at: "2026-11-20T10:05:00.000Z" }
    expect(isMarkAsPaid({ ...draft, captures: [later] }, later)).toBe(false)
    const partial = { ...capture, amount: 100 }
    expect(isMarkAsPaid({ ...draft, captures: [partial] }, partial)).toBe(false)
  })

  it("leaves out the plugin's own receipts (by capture id, or for older entries by amount and time) and refunds", () => {
    const capture = { id: "capt_1", amount: 110, created_at: "2026-11-20T10:00:00.000Z" }
    const p = payment({ captures: [capture] })
    expect(isPluginCapture(p, capture, [{ payment_id: "pay_1", capture_id: "capt_1", amount: 110, created_at: capture.created_at }])).toBe(true)
    expect(isPluginCapture(p, capture, [{ payment_id: "pay_1", capture_id: "capt_2", amount: 110, created_at: capture.created_at }])).toBe(false)
    expect(isPluginCapture(p, capture, [{ payment_id: "pay_1", capture_id: null, amount: 110, created_at: "2026-11-20T10:00:01Z" }])).toBe(true)
    expect(isPluginCapture(p, capture, [{ payment_id: "pay_1", capture_id: null, amount: 100, created_at: "2026-11-20T10:00:01Z" }])).toBe(false)
    expect(isPluginCapture(p, capture, [{ payment_id: "pay_2", capture_id: "capt_1", amount: 110, created_at: capture.created_at }])).toBe(false)
    expect(isPluginRefund({ id: "ref_1", amount: 5, created_at: "", metadata: { recorded_by: "medusa-payment-desk" } })).toBe(true)
    expect(isPluginRefund({ id: "ref_1", amount: 5, created_at: "", metadata: null })).toBe(false)
  })

  it("writes one entry per Medusa capture and refund, oldest first, with its dedupe key and actor", () => {
    const entries = medusaAuditEntries({
      order_id: "order_1",
      event: "payment.refunded",
      user_emails: { user_1: "admin@example.com" },
      receipts: [{ payment_id: "pay_1", capture_id: "capt_own", amount: 10, created_at: "2026-11-20T10:00:00Z" }],
      payments: [
        payment({
          captures: [
            { id: "capt_own", amount: 10, created_at: "2026-11-20T10:00:00Z", created_by: "user_1" },
            { id: "capt_1", amount: 200, raw_amount: { value: "200", precision: 20 } as never, created_at: "2026-11-20T11:00:00Z", created_by: "user_1" },
          ],
          refunds: [
            { id: "ref_1", amount: 30, created_at: "2026-11-20T12:00:00Z", created_by: null, note: "Damaged" },
            { id: "ref_own", amount: 5, created_at: "2026-11-20T12:30:00Z", metadata: { recorded_by: "medusa-payment-desk" } },
          ],
        }),
      ],
    })
    expect(entries).toEqual([
      expect.objectContaining({
        action: "medusa_capture",
        source: "medusa",
        amount: 200,
        actor_type: "user",
        actor_id: "user_1",
        actor_email: "admin@example.com",
        method: "bank-transfer",
        dedupe_key: "medusa:capture:capt_1",
      }),
      expect.objectContaining({
        action: "medusa_refund",
        amount: 30,
        actor_type: "system",
        actor_id: null,
        note: "Damaged",
        dedupe_key: "medusa:refund:ref_1",
        metadata: expect.objectContaining({ refund_id: "ref_1", event: "payment.refunded" }),
      }),
    ])
  })

  it("writes a CSV record in the header's column order, nulls empty, dates ISO, metadata JSON", () => {
    const record = auditCsvRecord({
      id: "pdaud_1",
      created_at: new Date("2026-11-20T10:00:00Z"),
      amount: "12.50",
      note: null,
      metadata: { a: 1 },
    })
    expect(record).toHaveLength(AUDIT_CSV_COLUMNS.length)
    expect(record[AUDIT_CSV_COLUMNS.indexOf("created_at")]).toBe("2026-11-20T10:00:00.000Z")
    expect(record[AUDIT_CSV_COLUMNS.indexOf("amount")]).toBe("12.50")
    expect(record[AUDIT_CSV_COLUMNS.indexOf("note")]).toBe("")
    expect(record[AUDIT_CSV_COLUMNS.indexOf("metadata")]).toBe('{"a":1}')
  })
})
