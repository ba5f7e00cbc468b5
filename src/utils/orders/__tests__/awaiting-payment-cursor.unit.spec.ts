import { decodeAwaitingCursor, encodeAwaitingCursor, keysetOrder } from "../awaiting-payment-cursor"

describe("awaiting-payment cursors", () => {
  const row = { pay_by_key: "2026-06-01 10:00:00.123456+00", display_id: 1042, payment_id: "pay_01ABC" }

  it("round-trips a row's keys in each keyset sort, and none for the amount sorts", () => {
    for (const order of ["pay_by", "-pay_by"] as const) {
      expect(decodeAwaitingCursor(encodeAwaitingCursor(order, row)!)).toEqual({ order, ...row })
    }
    for (const order of ["display_id", "-display_id"] as const) {
      expect(decodeAwaitingCursor(encodeAwaitingCursor(order, row)!)).toEqual({ order, display_id: 1042, payment_id: "pay_01ABC" })
    }
    expect(decodeAwaitingCursor(encodeAwaitingCursor("pay_by", { ...row, pay_by_key: "infinity" })!)).toMatchObject({ pay_by_key: "infinity" })
    expect(encodeAwaitingCursor("amount_due", row)).toBeNull()
    expect(encodeAwaitingCursor("-amount_due", row)).toBeNull()
  })

  it("refuses what it did not give: other text, another sort's shape, bad dates, ids or numbers", () => {
    const encode = (text: string) => Buffer.from(text, "utf8").toString("base64url")
    for (const text of [
      "not a cursor!",
      "x".repeat(400),
      encode("amount_due|1|pay_1"),
      encode("pay_by|1042|pay_1"),
      encode("display_id|2026-06-01 10:00:00+00|1042|pay_1"),
      encode("pay_by|yesterday|1042|pay_1"),
      encode("pay_by|2026-06-01 10:00:00+00|-3|pay_1"),
      encode("display_id|99999999999|pay_1"),
      encode("display_id|1042|pay'; drop table x"),
      encode("display_id|1042|"),
    ]) {
      expect(decodeAwaitingCursor(text)).toBeNull()
    }
  })

  it("compares the index's columns in its order, and only for the sort the cursor came from", () => {
    const cursor = decodeAwaitingCursor(encodeAwaitingCursor("pay_by", row)!)!
    expect(keysetOrder("pay_by", cursor)).toEqual({
      columns: ["a.pay_by_key", "a.display_id", "a.payment_id"],
      values: [row.pay_by_key, 1042, "pay_01ABC"],
    })
    expect(() => keysetOrder("display_id", cursor)).toThrow(/after: the cursor belongs to the "pay_by" sort/)
  })
})
