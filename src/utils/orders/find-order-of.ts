import type { MedusaContainer, RemoteQueryFunction } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** What a Medusa admin route names in its path or body, from which the order it acts on is found. */
export type OrderOwner =
  | "order"
  | "payment"
  | "payment_collection"
  | "payment_session"
  | "return"
  | "order_claim"
  | "order_exchange"

type Query = Pick<RemoteQueryFunction, "graph">

const first = async (query: Query, entity: string, field: string, id: string): Promise<string | null> => {
  const { data } = await query.graph({ entity, fields: [field], filters: { id } })
  const value = (data[0] as Record<string, unknown> | undefined)?.[field]
  return typeof value === "string" ? value : null
}

/** The order a payment collection belongs to (the `order_payment_collection` link); null for a cart's. */
const orderOfCollection = async (query: Query, collectionId: string | null): Promise<string | null> => {
  if (!collectionId) {
    return null
  }
  const { data } = await query.graph({
    entity: "order_payment_collection",
    fields: ["order_id"],
    filters: { payment_collection_id: collectionId },
  })
  const value = (data[0] as { order_id?: unknown } | undefined)?.order_id
  return typeof value === "string" ? value : null
}

/**
 * The id of the order that `owner` `id` belongs to, read from the database
 * (a payment through its collection and the `order_payment_collection` link;
 * returns, claims and exchanges by their `order_id`; an order by itself, if it
 * exists); null when there is no such row or it belongs to no order.
 */
export async function findOrderOf(container: MedusaContainer, owner: OrderOwner, id: string): Promise<string | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  switch (owner) {
    case "order":
      return first(query, "order", "id", id)
    case "payment":
      return orderOfCollection(query, await first(query, "payment", "payment_collection_id", id))
    case "payment_session":
      return orderOfCollection(query, await first(query, "payment_session", "payment_collection_id", id))
    case "payment_collection":
      return orderOfCollection(query, id)
    case "return":
    case "order_claim":
    case "order_exchange":
      return first(query, owner, "order_id", id)
  }
}
