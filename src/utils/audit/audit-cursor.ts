import type { AuditCursor } from "../../modules/payment-desk/audit-trail"

/**
 * A keyset cursor of the audit list as the API passes it: the entry's
 * `created_at` as PostgreSQL prints it (microseconds kept) and its id,
 * base64url-encoded, so a client passes it back unchanged.
 */
export function encodeAuditCursor(cursor: AuditCursor | null): string | null {
  return cursor ? Buffer.from(`${cursor.created_at}|${cursor.id}`, "utf8").toString("base64url") : null
}

/** The cursor a client passed back; null when it is not one this API gave (a bad cursor is the client's error). */
export function decodeAuditCursor(text: string): AuditCursor | null {
  if (text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) return null
  const [createdAt, id, ...rest] = Buffer.from(text, "base64url").toString("utf8").split("|")
  if (rest.length || !createdAt || !id || !/^[A-Za-z0-9_]{1,80}$/.test(id)) return null
  // PostgreSQL's text form of a timestamptz: "2026-06-01 00:00:01.123456+00".
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(createdAt)) return null
  if (Number.isNaN(new Date(createdAt.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00")).getTime())) return null
  return { created_at: createdAt, id }
}
