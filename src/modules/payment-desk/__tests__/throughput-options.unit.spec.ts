import { resolvePaymentDeskOptions } from "../options"

describe("throughput options", () => {
  it("defaults: 4 orders closed at once, 10,000 a run, 100 Stripe calls and 1,000 rows per reconciliation run", () => {
    const options = resolvePaymentDeskOptions({})
    expect(options.auto_close).toMatchObject({ batch_size: 100, concurrency: 4, max_per_run: 10_000 })
    expect(options.refunds).toMatchObject({ reconcile_budget: 100, reconcile_batch: 1000 })
    expect(options.bank_statements.inline_booking_limit).toBe(200)
  })

  it("takes given values", () => {
    const options = resolvePaymentDeskOptions({
      auto_close: { concurrency: 8, max_per_run: 500 },
      refunds: { reconcile_budget: 20, reconcile_batch: 50 },
    })
    expect(options.auto_close).toMatchObject({ concurrency: 8, max_per_run: 500 })
    expect(options.refunds).toMatchObject({ reconcile_budget: 20, reconcile_batch: 50 })
    expect(resolvePaymentDeskOptions({ bank_statements: { inline_booking_limit: 0 } }).bank_statements.inline_booking_limit).toBe(0)
  })

  it.each([
    [{ auto_close: { concurrency: 0 } }, "auto_close.concurrency"],
    [{ auto_close: { concurrency: 33 } }, "auto_close.concurrency"],
    [{ auto_close: { concurrency: 1.5 } }, "auto_close.concurrency"],
    [{ auto_close: { max_per_run: "all" } }, "auto_close.max_per_run"],
    [{ refunds: { reconcile_budget: 0 } }, "refunds.reconcile_budget"],
    [{ refunds: { reconcile_batch: -1 } }, "refunds.reconcile_batch"],
    [{ bank_statements: { inline_booking_limit: -1 } }, "bank_statements.inline_booking_limit"],
    [{ bank_statements: { inline_booking_limit: 2.5 } }, "bank_statements.inline_booking_limit"],
  ])("refuses %j naming %s", (raw, field) => {
    expect(() => resolvePaymentDeskOptions(raw as Record<string, unknown>)).toThrow(field)
  })
})
