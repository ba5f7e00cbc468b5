import { createdAtCursors } from "../desk/timestamp-cursor"

const audit = createdAtCursors("pdaud_")

/**
 * A keyset cursor of the audit list as the API passes it: the entry's
 * `created_at` as PostgreSQL prints it (microseconds kept) and its id,
 * base64url-encoded, so a client passes it back unchanged.
 */
export const encodeAuditCursor = audit.encode

/** The cursor a client passed back; null when it is not one this API gave (a bad cursor is the client's error). */
export const decodeAuditCursor = audit.decode
