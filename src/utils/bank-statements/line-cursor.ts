/**
 * A bank line's place in the lines list (sorted by booking date, line
 * number and id), as a keyset cursor carries it: base64url of the booking
 * date (ISO 8601, as stored to the millisecond: statements give days or
 * seconds), the line number and the id.
 */
export type BankLineCursor = { booking_date: Date; line: number; id: string }

/** The cursor of a line; a client passes it back unchanged as `after` or `before`. */
export function encodeBankLineCursor(row: { booking_date: Date | string; line: number; id: string }): string {
  return Buffer.from(`${new Date(row.booking_date).toISOString()}|${row.line}|${row.id}`, "utf8").toString("base64url")
}

/** The cursor a client passed back; null when it is not one this API gave. */
export function decodeBankLineCursor(text: string): BankLineCursor | null {
  if (text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) return null
  const parts = Buffer.from(text, "base64url").toString("utf8").split("|")
  if (parts.length !== 3) return null
  const [date, line, id] = parts
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(date) || Number.isNaN(new Date(date).getTime())) return null
  if (!/^[0-9]{1,9}$/.test(line) || !/^[A-Za-z0-9_]{1,80}$/.test(id)) return null
  return { booking_date: new Date(date), line: Number(line), id }
}

/**
 * The module-filter condition for the lines after (`after`) or before
 * (`before`) a cursor in the list's order: `(booking_date, line, id)`
 * compared as a row, with the booking date bounded on its own as well so
 * that the `(booking_date, line, id)` index serves it as a range.
 */
export function bankLineKeyset(cursor: BankLineCursor, side: "after" | "before"): Record<string, unknown> {
  const [gt, gte] = side === "after" ? ["$gt", "$gte"] : ["$lt", "$lte"]
  return {
    booking_date: { [gte]: cursor.booking_date },
    $or: [
      { booking_date: { [gt]: cursor.booking_date } },
      { booking_date: cursor.booking_date, line: { [gt]: cursor.line } },
      { booking_date: cursor.booking_date, line: cursor.line, id: { [gt]: cursor.id } },
    ],
  }
}
