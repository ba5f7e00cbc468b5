import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"

/** A customer as the admin lists show them. */
export type CustomerBrief = { id: string | null; email: string | null; name: string | null }

/**
 * Who did something, as the admin lists show it: `name` is the person's name
 * (see {@link personName}); for the system it is null and `id` names the job
 * or process (`close-unpaid-orders`, `reconciliation`, ...), which the admin
 * says in words.
 */
export type ActorBrief = { type: "user" | "customer" | "system"; id: string | null; name: string | null }

type Person = { id: string; email?: string | null; first_name?: string | null; last_name?: string | null }

const fullName = (person: Omit<Person, "id"> | undefined) =>
  [person?.first_name, person?.last_name].filter((part) => !!part && part.trim()).join(" ").trim() || null

/**
 * A person (admin user or customer) named the one way the plugin names
 * people everywhere, lists, widget, exports and emails alike: first and last
 * name, else email; null when neither is known.
 */
export function personName(person: Omit<Person, "id"> | null | undefined): string | null {
  return fullName(person ?? undefined) || person?.email || null
}

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

/**
 * An actor brief: an admin or customer by {@link personName} (null when the
 * person is gone, and the admin then says "Staff member" or "Customer"); the
 * system with its job's id and no name.
 */
export function actorBrief(
  people: { customers: Map<string, Person>; users: Map<string, Person> },
  type: string,
  id: string | null | undefined
): ActorBrief {
  if (type === "user") {
    return { type, id: id ?? null, name: personName(id ? people.users.get(id) : undefined) }
  }
  if (type === "customer") {
    return { type, id: id ?? null, name: personName(id ? people.customers.get(id) : undefined) }
  }
  return { type: "system", id: id ?? null, name: null }
}
