import { MedusaError } from "@medusajs/framework/utils"
import type { AwaitingPaymentOrder } from "./awaiting-payment"

/** The sorts the awaiting-payment list pages by keyset: the ones an index of the read model holds. */
export const AWAITING_KEYSET_ORDERS = ["pay_by", "-pay_by", "display_id", "-display_id"] as const

/**
 * A row's place in the awaiting-payment list, as a cursor carries it: the
 * sort it belongs to, and its keys in that sort (the pay-by key as
 * PostgreSQL prints it, `infinity` for no window; the order number; the
 * payment id).
 */
export type AwaitingCursor = {
  order: (typeof AWAITING_KEYSET_ORDERS)[number]
  pay_by_key?: string
  display_id: number
  payment_id: string
}

const ID = /^[A-Za-z0-9_]{1,80}$/
// PostgreSQL's text form of a timestamptz ("2026-06-01 00:00:01.123456+00"), or infinity.
const TIMESTAMP = /^(infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?)$/

/** The cursor of a row in the list sorted by `order`; null for a sort that pages by offset only. */
export function encodeAwaitingCursor(
  order: AwaitingPaymentOrder,
  row: { pay_by_key: string; display_id: number; payment_id: string }
): string | null {
  if (!(AWAITING_KEYSET_ORDERS as readonly string[]).includes(order)) return null
  const keys = order.endsWith("pay_by") ? [order, row.pay_by_key, row.display_id, row.payment_id] : [order, row.display_id, row.payment_id]
  return Buffer.from(keys.join("|"), "utf8").toString("base64url")
}

/** The cursor a client passed back; null when it is not one this API gave (a bad cursor is the client's error). */
export function decodeAwaitingCursor(text: string): AwaitingCursor | null {
  if (text.length > 300 || !/^[A-Za-z0-9_-]+$/.test(text)) return null
  const parts = Buffer.from(text, "base64url").toString("utf8").split("|")
  const order = parts[0] as AwaitingCursor["order"]
  if (!(AWAITING_KEYSET_ORDERS as readonly string[]).includes(order)) return null
  const withDate = order.endsWith("pay_by")
  if (parts.length !== (withDate ? 4 : 3)) return null
  const [payByKey, displayId, paymentId] = withDate ? parts.slice(1) : [undefined, ...parts.slice(1)]
  if (displayId === undefined || paymentId === undefined) return null
  if (payByKey !== undefined && !TIMESTAMP.test(payByKey)) return null
  if (!/^[0-9]{1,10}$/.test(displayId) || Number(displayId) > 2_147_483_647 || !ID.test(paymentId)) return null
  return { order, ...(payByKey !== undefined ? { pay_by_key: payByKey } : {}), display_id: Number(displayId), payment_id: paymentId }
}

/**
 * The columns and values a keyset condition compares for `order`. A cursor
 * of another sort is refused: the rows it names have no place in this one.
 */
export function keysetOrder(order: AwaitingPaymentOrder, cursor: AwaitingCursor): { columns: string[]; values: (string | number)[] } {
  if (cursor.order !== order) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `after: the cursor belongs to the "${cursor.order}" sort, not "${order}"`)
  }
  return order.endsWith("pay_by")
    ? { columns: ["a.pay_by_key", "a.display_id", "a.payment_id"], values: [cursor.pay_by_key as string, cursor.display_id, cursor.payment_id] }
    : { columns: ["a.display_id", "a.payment_id"], values: [cursor.display_id, cursor.payment_id] }
}
