/**
 * A row's place in a list sorted by a timestamp and id, as a keyset cursor
 * carries it: the timestamp in PostgreSQL's text form
 * (`2026-06-01 00:00:01.123456+00`: microseconds kept, where a JS Date would
 * round to the millisecond and skip or repeat rows) and the row's id.
 */
export type TimestampCursor = { at: string; id: string }

// PostgreSQL's text form of a timestamptz (ISO DateStyle): "2026-06-01 00:00:01.123456+00", "… +05:30".
const PG_TIMESTAMPTZ = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(:\d{2})?$/
const ID = /^[A-Za-z0-9_]{1,80}$/

/** Whether `text` is a timestamp PostgreSQL prints and reads back: a real day (no 30 February), a time of day, an offset within ±15 h. */
function isPgTimestamp(text: string): boolean {
  const parts = PG_TIMESTAMPTZ.exec(text)
  if (!parts) return false
  const [year, month, day, hour, minute, second, offset] = [1, 2, 3, 4, 5, 6, 8].map((index) => Number(parts[index]))
  const date = new Date(Date.UTC(2000, month - 1, day))
  date.setUTCFullYear(year)
  return (
    year >= 1 &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offset <= 15
  )
}

/** The cursor of a row: base64url of its timestamp's text and its id, which a client passes back unchanged. */
export function encodeTimestampCursor(cursor: TimestampCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, "utf8").toString("base64url")
}

/**
 * The cursor a client passed back; null when it is not one a list gave (a
 * bad cursor is the client's error, never the database's). With `idPrefix`,
 * only a row id of that table (`pdref_`, `pdclo_`) makes one, so a cursor
 * of another list is refused.
 */
export function decodeTimestampCursor(text: string, idPrefix = ""): TimestampCursor | null {
  if (text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) return null
  const [at, id, ...rest] = Buffer.from(text, "base64url").toString("utf8").split("|")
  if (rest.length || !at || !id || !ID.test(id) || !id.startsWith(idPrefix)) return null
  return isPgTimestamp(at) ? { at, id } : null
}

/** A row's place in a list sorted by `(created_at, id)`: `created_at` as PostgreSQL prints it, and the id. */
export type CreatedAtCursor = { created_at: string; id: string }

/**
 * The cursor codec of a list sorted by `(created_at, id)` whose row ids
 * begin with `idPrefix` (empty: any id): `encode` gives a cursor to a
 * client (null for none), `decode` reads one back (null: not one of this list's).
 */
export function createdAtCursors(idPrefix: string) {
  return {
    encode: (cursor: CreatedAtCursor | null): string | null =>
      cursor ? encodeTimestampCursor({ at: cursor.created_at, id: cursor.id }) : null,
    decode: (text: string): CreatedAtCursor | null => {
      const cursor = decodeTimestampCursor(text, idPrefix)
      return cursor ? { created_at: cursor.at, id: cursor.id } : null
    },
  }
}
