import { decodeTimestampCursor, encodeTimestampCursor } from "../timestamp-cursor"
import { decodeRefundCursor, encodeRefundCursor } from "../../refunds/refund-cursor"
import { decodeClosureCursor, encodeClosureCursor } from "../../closures/closure-cursor"
import { decodeAuditCursor, encodeAuditCursor } from "../../audit/audit-cursor"

const encode = (text: string) => Buffer.from(text, "utf8").toString("base64url")

describe("timestamp keyset cursors (refunds, closed orders, audit)", () => {
  it("round-trips PostgreSQL's text of a timestamp to the microsecond, and the row's id", () => {
    const refund = { created_at: "2026-06-01 00:00:00.000417+00", id: "pdref_01JABC" }
    expect(decodeRefundCursor(encodeRefundCursor(refund)!)).toEqual(refund)
    // Two rows one microsecond apart give two cursors (a JS Date would make them one).
    expect(encodeRefundCursor({ ...refund, created_at: "2026-06-01 00:00:00.000418+00" })).not.toBe(encodeRefundCursor(refund))
    const closed = decodeClosureCursor(encodeClosureCursor({ cursor_closed_at: "2026-12-07 09:15:00.5+05:30", id: "pdclo_01JXYZ" }))
    expect(closed).toEqual({ at: "2026-12-07 09:15:00.5+05:30", id: "pdclo_01JXYZ" })
    expect(decodeAuditCursor(encodeAuditCursor({ created_at: "2026-06-01 00:00:01+00", id: "pdaud_1" })!)).toEqual({
      created_at: "2026-06-01 00:00:01+00",
      id: "pdaud_1",
    })
    expect(encodeRefundCursor(null)).toBeNull()
    // The audit cursor's text is what it was before the lists shared it: cursors clients hold stay good.
    expect(encodeAuditCursor({ created_at: "2026-06-01 00:00:01.123456+00", id: "pdaud_1" })).toBe(
      encode("2026-06-01 00:00:01.123456+00|pdaud_1")
    )
  })

  it("refuses a cursor of another list: each list's cursors name its own table's ids", () => {
    const refundCursor = encodeRefundCursor({ created_at: "2026-06-01 00:00:00+00", id: "pdref_1" })!
    const closureCursor = encodeClosureCursor({ cursor_closed_at: "2026-06-01 00:00:00+00", id: "pdclo_1" })
    expect(decodeClosureCursor(refundCursor)).toBeNull()
    expect(decodeAuditCursor(refundCursor)).toBeNull()
    expect(decodeRefundCursor(closureCursor)).toBeNull()
    expect(decodeTimestampCursor(refundCursor)).toEqual({ at: "2026-06-01 00:00:00+00", id: "pdref_1" })
  })

  it("refuses what no list gave: other text, JS dates, days and times that do not exist, bad ids", () => {
    for (const text of [
      "not a cursor!",
      "x".repeat(300),
      encode("2026-06-01 00:00:00+00"),
      encode("2026-06-01 00:00:00+00|pdref_1|extra"),
      encode("|pdref_1"),
      encode("2026-06-01 00:00:00+00|"),
      encode("2026-06-01T00:00:00.000Z|pdref_1"),
      encode("yesterday|pdref_1"),
      encode("2026-02-29 00:00:00+00|pdref_1"),
      encode("2026-02-30 00:00:00.123456+00|pdref_1"),
      encode("2026-13-01 00:00:00+00|pdref_1"),
      encode("0000-01-01 00:00:00+00|pdref_1"),
      encode("2026-06-01 24:00:00+00|pdref_1"),
      encode("2026-06-01 00:60:00+00|pdref_1"),
      encode("2026-06-01 00:00:00.1234567+00|pdref_1"),
      encode("2026-06-01 00:00:00+16|pdref_1"),
      encode("2026-06-01 00:00:00+00|pdref_1'; drop table x"),
      encode(`2026-06-01 00:00:00+00|pdref_${"x".repeat(80)}`),
    ]) {
      expect(decodeRefundCursor(text)).toBeNull()
    }
    // A leap day that exists is a day.
    expect(decodeRefundCursor(encode("2028-02-29 23:59:59.999999-03|pdref_1"))).toEqual({
      created_at: "2028-02-29 23:59:59.999999-03",
      id: "pdref_1",
    })
  })
})
