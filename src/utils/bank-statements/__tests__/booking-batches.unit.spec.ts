import { BANK_BOOKING_BATCH, bankBookingBatches, bookingProgress, booksInline, LineToBook } from "../booking-batches"

const at = "2026-12-07T10:00:00.000Z"
const line = (id: string, statement: string, n: number, updated_at = at): LineToBook => ({ id, bank_statement_id: statement, line: n, updated_at })

describe("booksInline", () => {
  it("books up to the limit in the upload, hands out above it; 0 hands out every import with lines", () => {
    expect([booksInline(200, 200), booksInline(201, 200), booksInline(0, 0), booksInline(1, 0)]).toEqual([true, false, true, false])
  })
})

describe("bankBookingBatches", () => {
  it("cuts each import's lines in file order into batches of 50, one import per batch", () => {
    const lines = [
      ...Array.from({ length: 120 }, (_, i) => line(`pdbtx_a${String(i).padStart(3, "0")}`, "pdbst_a", 120 - i)),
      line("pdbtx_b1", "pdbst_b", 7),
    ]
    const batches = bankBookingBatches(lines)
    expect(batches.map((batch) => [batch.bank_statement_id, batch.ids.length])).toEqual([
      ["pdbst_a", BANK_BOOKING_BATCH],
      ["pdbst_a", BANK_BOOKING_BATCH],
      ["pdbst_a", 20],
      ["pdbst_b", 1],
    ])
    // File order: line 1 first (the last id given).
    expect(batches[0].ids.slice(0, 2)).toEqual(["pdbtx_a119", "pdbtx_a118"])
  })

  it("gives a batch still waiting the same key when the pickup cuts the lines left (its job is not queued twice)", () => {
    const lines = Array.from({ length: 130 }, (_, i) => line(`pdbtx_${String(i).padStart(3, "0")}`, "pdbst_a", i + 1))
    const upload = bankBookingBatches(lines)
    // The second batch was booked meanwhile: its lines left `matched`.
    const left = lines.filter((l) => !upload[1].ids.includes(l.id))
    const pickup = bankBookingBatches([...left].reverse())
    expect(pickup.map((batch) => batch.key)).toEqual([upload[0].key, upload[2].key])
  })

  it("gives a batch a worker claimed (its lines stamped) a new key, so it goes out again", () => {
    const lines = [line("pdbtx_1", "pdbst_a", 1), line("pdbtx_2", "pdbst_a", 2)]
    const [before] = bankBookingBatches(lines)
    const [after] = bankBookingBatches([lines[0], { ...lines[1], updated_at: "2026-12-07T10:05:00.000Z" }])
    expect(after.ids).toEqual(before.ids)
    expect(after.key).not.toEqual(before.key)
  })
})

describe("bookingProgress", () => {
  it("says how far the workers are, in numbers and words", () => {
    expect(bookingProgress({ to_book: 9000, booking: 7800 })).toEqual({
      to_book: 9000,
      booked: 1200,
      remaining: 7800,
      done: false,
      message: "Booking 1,200 of 9,000 lines…",
    })
    expect(bookingProgress({ to_book: 9000, booking: 0 })).toMatchObject({ done: true, message: "All 9,000 lines booked" })
    expect(bookingProgress({ to_book: 0, booking: 0 })).toEqual({ to_book: 0, booked: 0, remaining: 0, done: true, message: null })
  })
})
