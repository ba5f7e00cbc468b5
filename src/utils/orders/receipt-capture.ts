import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { ReceiptRow } from "../../modules/payment-desk/models/receipt"

/** The capture a receipt made, as Medusa's books hold it, and whether core's order transaction for it is written. */
export type ReceiptCapture = { capture_id: string; payment_id: string; transaction_booked: boolean }

// The collection's captures since the receipt was written, oldest first,
// each with whether a receipt claims it and whether its order transaction exists.
const CAPTURES_SQL = `
select c.id, c.payment_id, c.raw_amount, c.created_by, c.created_at,
  exists (select 1 from payment_desk_receipt r where r.capture_id = c.id and r.deleted_at is null) as claimed,
  exists (select 1 from order_transaction t
           where t.reference = 'capture' and t.reference_id = c.id and t.deleted_at is null) as booked
  from capture c
  join payment p on p.id = c.payment_id and p.payment_collection_id = ?
 where c.deleted_at is null and c.created_at >= ?
 order by c.created_at, c.id`

/**
 * Finds the capture a receipt made before its run stopped: its own (written
 * on the receipt), or else the one capture on its collection that no other
 * receipt claims, that was not there before it, was made by the same person
 * for the receipt's amount, within `window_seconds` (the order lock's ttl)
 * of the receipt being written. Only the receipt's run could capture then:
 * every money action on the order, Medusa's routes included, waited for its
 * lock. Null when the run stopped before capturing.
 */
export async function findReceiptCapture(
  container: MedusaContainer,
  receipt: Pick<ReceiptRow, "capture_id" | "payment_collection_id" | "captures_before" | "captured_by" | "amount" | "created_at">,
  windowSeconds: number
): Promise<ReceiptCapture | null> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const since = new Date(receipt.created_at as unknown as string)
  const { rows } = await pg.raw(CAPTURES_SQL, [receipt.payment_collection_id, since])
  const before = new Set(((receipt.captures_before as { ids?: string[] } | null)?.ids ?? []) as string[])
  const until = since.getTime() + windowSeconds * 1000
  const captures = rows as {
    id: string
    payment_id: string
    raw_amount: { value: string }
    created_by: string | null
    created_at: Date
    claimed: boolean
    booked: boolean
  }[]
  const own = receipt.capture_id
    ? captures.find((row) => row.id === receipt.capture_id)
    : captures.find(
        (row) =>
          !row.claimed &&
          !before.has(row.id) &&
          (row.created_by ?? null) === (receipt.captured_by ?? null) &&
          new Date(row.created_at).getTime() <= until &&
          MathBN.eq(row.raw_amount.value, receipt.amount as never)
      )
  return own ? { capture_id: own.id, payment_id: own.payment_id, transaction_booked: own.booked } : null
}
