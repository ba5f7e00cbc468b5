import { decodeTimestampCursor, encodeTimestampCursor, type TimestampCursor } from "../desk/timestamp-cursor"

/** The sorts the closed-orders list pages by keyset: by close time, which the `(closed_at, id)` index holds. */
export const CLOSURE_KEYSET_ORDERS = ["created_at", "-created_at"] as const

/**
 * A closure's place in the closed-orders list (sorted by close time, then
 * id), as a keyset cursor carries it: `closed_at` as PostgreSQL prints it
 * (`at`, microseconds kept) and the closure's id.
 */
export type ClosureCursor = TimestampCursor

/** The cursor of a closure row, read with `closed_at::text` (a client passes it back unchanged). */
export function encodeClosureCursor(row: { cursor_closed_at: string; id: string }): string {
  return encodeTimestampCursor({ at: row.cursor_closed_at, id: row.id })
}

/** The cursor a client passed back; null when it is not one this list gave (another list's cursor included). */
export function decodeClosureCursor(text: string): ClosureCursor | null {
  return decodeTimestampCursor(text, "pdclo_")
}
