import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"

/** A customer as the admin lists show them. */
export type CustomerBrief = { id: string | null; email: string | null; name: string | null }

/** Who did something, as the admin lists show it: `name` is the admin's name or email, the customer's email, or "System". */
export type ActorBrief = { type: "user" | "customer" | "system"; id: string | null; name: string }

type Person = { id: string; email?: string | null; first_name?: string | null; last_name?: string | null }

const fullName = (person: Person | undefined) =>
  [person?.first_name, person?.last_name].filter((part) => !!part && part.trim()).join(" ").trim() || null

/** Reads customers and admin users by id, one query each for the whole page. */
export async function describePeople(
  container: MedusaContainer,
  ids: { customers?: (string | null | undefined)[]; users?: (string | null | undefined)[] }
): Promise<{ customers: Map<string, Person>; users: Map<string, Person> }> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const unique = (list: (string | null | undefined)[] = []) => [...new Set(list.filter((id): id is string => !!id))]
  const customerIds = unique(ids.customers)
  const userIds = unique(ids.users)
  const fields = ["id", "email", "first_name", "last_name"]
  const [customers, users] = await Promise.all([
    customerIds.length ? query.graph({ entity: "customer", fields, filters: { id: customerIds } }) : { data: [] },
    userIds.length ? query.graph({ entity: "user", fields, filters: { id: userIds } }) : { data: [] },
  ])
  return {
    customers: new Map((customers.data as Person[]).map((row) => [row.id, row])),
    users: new Map((users.data as Person[]).map((row) => [row.id, row])),
  }
}

/** A customer brief from the lookup, falling back to the order's email for guests. */
export function customerBrief(
  people: { customers: Map<string, Person> },
  customerId: string | null | undefined,
  fallbackEmail?: string | null
): CustomerBrief {
  const customer = customerId ? people.customers.get(customerId) : undefined
  return {
    id: customerId ?? null,
    email: customer?.email ?? fallbackEmail ?? null,
    name: fullName(customer),
  }
}

/** An actor brief: the admin's name (else email), the customer's email (else name), or "System". */
export function actorBrief(
  people: { customers: Map<string, Person>; users: Map<string, Person> },
  type: string,
  id: string | null | undefined
): ActorBrief {
  if (type === "user") {
    const user = id ? people.users.get(id) : undefined
    return { type, id: id ?? null, name: fullName(user) ?? user?.email ?? id ?? "Admin" }
  }
  if (type === "customer") {
    const customer = id ? people.customers.get(id) : undefined
    return { type, id: id ?? null, name: customer?.email ?? fullName(customer) ?? id ?? "Customer" }
  }
  return { type: "system", id: id ?? null, name: "System" }
}
