import { createdAtCursors } from "../desk/timestamp-cursor"

const refunds = createdAtCursors("pdref_")

/**
 * A keyset cursor of the refunds list as the API passes it: the ledger row's
 * `created_at` as PostgreSQL prints it (microseconds kept: a JS Date would
 * skip or repeat rows created within one millisecond) and its id,
 * base64url-encoded, so a client passes it back unchanged.
 */
export const encodeRefundCursor = refunds.encode

/** The cursor a client passed back; null when it is not one this list gave (another list's cursor included). */
export const decodeRefundCursor = refunds.decode
