import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"

/** The code of the error a money action answers while Medusa has an order change under way on the order. */
export const ORDER_CHANGE_ACTIVE_CODE = "payment_desk.order_change_active"

/** Medusa's active order change on an order: an edit, return, claim or exchange begun or requested and not yet confirmed. */
export type ActiveOrderChange = { id: string; order_id: string; change_type: string | null; status: string }

const WHAT: Record<string, string> = {
  edit: "an order edit",
  return: "a return",
  claim: "a claim",
  exchange: "an exchange",
  transfer: "a transfer",
}

/**
 * The order's active order change (status `pending` or `requested`, as the
 * order module counts it), found from the order or from one of its payment
 * collections; null when there is none.
 */
export async function findActiveOrderChange(
  container: MedusaContainer,
  of: { order_id: string } | { payment_collection_id: string }
): Promise<ActiveOrderChange | null> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = (await ("order_id" in of
    ? pg.raw(
        `select oc.id, oc.order_id, oc.change_type, oc.status from order_change oc
          where oc.order_id = ? and oc.status in ('pending', 'requested') and oc.deleted_at is null
          order by oc.created_at desc limit 1`,
        [of.order_id]
      )
    : pg.raw(
        `select oc.id, oc.order_id, oc.change_type, oc.status from order_change oc
           join order_payment_collection opc on opc.order_id = oc.order_id and opc.deleted_at is null
          where opc.payment_collection_id = ? and oc.status in ('pending', 'requested') and oc.deleted_at is null
          order by oc.created_at desc limit 1`,
        [of.payment_collection_id]
      ))) as { rows: ActiveOrderChange[] }
  return rows[0] ?? null
}

/**
 * Refuses (400, before any money moves) a refund while Medusa has an order
 * change under way on the order: booking the refund in Medusa adds a credit
 * line through an order change of its own, which the order module refuses
 * while another is active, so the money would leave and its booking fail.
 */
export async function assertNoActiveOrderChange(
  container: MedusaContainer,
  of: { order_id: string } | { payment_collection_id: string },
  doing: string
): Promise<void> {
  const change = await findActiveOrderChange(container, of)
  if (change) {
    const what = WHAT[change.change_type ?? ""] ?? "an order change"
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Order ${change.order_id} has ${what} in progress (${change.id}, ${change.status}): confirm or cancel it before ${doing}`,
      ORDER_CHANGE_ACTIVE_CODE
    )
  }
}
