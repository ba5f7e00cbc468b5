import { canTransition, nextState, providerKeyFor, REFUND_TRANSITIONS, RefundStateInput } from "../transitions"

const now = new Date("2026-11-23T12:00:00Z")
const policy = { now, reconcileAfterMinutes: 10, retryBackoffMinutes: 5, maxAttempts: 3 }
const row = (over: Partial<RefundStateInput> = {}): RefundStateInput => ({
  status: "pending",
  attempts: 1,
  requested_by_type: "user",
  ...over,
})
const inMinutes = (m: number) => new Date(now.getTime() + m * 60_000)

describe("ledger transitions", () => {
  it("allows exactly the documented moves", () => {
    expect(REFUND_TRANSITIONS).toEqual({
      pending: ["pending", "succeeded", "failed", "requires_action", "awaiting_payout", "canceled"],
      requires_action: ["pending", "succeeded", "failed", "requires_action"],
      failed: ["pending"],
      awaiting_payout: ["succeeded"],
      succeeded: ["failed", "awaiting_payout"],
      canceled: [],
    })
    expect(canTransition("awaiting_payout", "succeeded")).toBe(true)
    expect(canTransition("succeeded", "succeeded")).toBe(false)
    expect(canTransition("canceled", "pending")).toBe(false)
    expect(canTransition("failed", "succeeded")).toBe(false)
  })

  it("settles a pending row from each provider outcome", () => {
    expect(nextState(row(), "succeeded", policy)).toEqual({ status: "succeeded", next_attempt_at: null, settled: true })
    expect(nextState(row(), "recorded", policy)).toEqual({ status: "awaiting_payout", next_attempt_at: null, settled: false })
    expect(nextState(row(), "failed", policy)).toEqual({ status: "failed", next_attempt_at: null, settled: true })
    // Unknown and provider-pending outcomes stay pending, looked at again after the wait.
    expect(nextState(row(), "unknown", policy)).toEqual({ status: "pending", next_attempt_at: inMinutes(10), settled: false })
    expect(nextState(row(), "pending", policy)).toEqual({ status: "pending", next_attempt_at: inMinutes(10), settled: false })
    expect(nextState(row(), "requires_action", policy)).toEqual({
      status: "requires_action",
      next_attempt_at: inMinutes(10),
      settled: false,
    })
  })

  it("refuses verdicts the ledger does not allow (late, repeated, or for a final row)", () => {
    expect(nextState(row({ status: "succeeded" }), "succeeded", policy)).toBeNull()
    expect(nextState(row({ status: "succeeded" }), "pending", policy)).toBeNull()
    expect(nextState(row({ status: "failed" }), "succeeded", policy)).toBeNull()
    expect(nextState(row({ status: "canceled" }), "succeeded", policy)).toBeNull()
    expect(nextState(row({ status: "awaiting_payout" }), "failed", policy)).toBeNull()
    expect(nextState(row({ status: "failed" }), "failed", policy)).toBeNull()
  })

  it("turns a late failure of a success into a failed row", () => {
    expect(nextState(row({ status: "succeeded" }), "failed", policy)).toEqual({
      status: "failed",
      next_attempt_at: null,
      settled: true,
    })
  })

  it("schedules the system's failed refunds with doubling backoff, then asks for a human", () => {
    const system = (attempts: number) => row({ requested_by_type: "system", attempts })
    expect(nextState(system(1), "failed", policy)?.next_attempt_at).toEqual(inMinutes(5))
    expect(nextState(system(2), "failed", policy)?.next_attempt_at).toEqual(inMinutes(10))
    expect(nextState(system(3), "failed", policy)).toEqual({ status: "requires_action", next_attempt_at: null, settled: false })
  })
})

describe("provider keys", () => {
  const base = "payment-desk-refund-abc"
  it("uses the row's key for the first attempt", () => {
    expect(providerKeyFor(base, [])).toBe(base)
  })
  it("repeats a key only while its attempt's outcome is unknown", () => {
    expect(providerKeyFor(base, [{ attempt: 1, provider_key: base, outcome: "unknown" }])).toBe(base)
  })
  it("derives a new key after any settled outcome", () => {
    for (const outcome of ["failed", "succeeded", "pending", "requires_action", "recorded", "absent"] as const) {
      expect(providerKeyFor(base, [{ attempt: 1, provider_key: base, outcome }])).toBe(`${base}:attempt-2`)
    }
    expect(
      providerKeyFor(base, [
        { attempt: 1, provider_key: base, outcome: "failed" },
        { attempt: 2, provider_key: `${base}:attempt-2`, outcome: "unknown" },
      ])
    ).toBe(`${base}:attempt-2`)
  })
})
