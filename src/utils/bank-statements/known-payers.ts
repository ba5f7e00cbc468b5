import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { ibanKey, KnownPayer, nameKey } from "./match"

/** An order as {@link loadKnownPayers} reads it: its customer and the names on its addresses. */
export type PayerSource = {
  order_id: string
  customer_id: string | null
  /** The billing and shipping names ("first last"). */
  names: (string | null | undefined)[]
}

const CHUNK = 1000
/** At most this many orders of the named customers are read for their receipts' IBANs (newest first). */
const CUSTOMER_ORDERS = 5000

const fullName = (person: { first_name?: string | null; last_name?: string | null } | null | undefined) =>
  person ? [person.first_name, person.last_name].filter(Boolean).join(" ") : null

/** The "first last" name of a Medusa address, or null. */
export const addressName = fullName

/**
 * Who is known to pay for each order: the name keys of its customer, billing
 * and shipping names, and the payer IBANs kept on the recorded receipts
 * (`payment_recorded`, `metadata.payer_iban`) of any order of the same
 * customer. Reads the customers, their orders and those receipts in chunks.
 */
export async function loadKnownPayers(container: MedusaContainer, orders: PayerSource[]): Promise<Map<string, KnownPayer>> {
  const known = new Map<string, KnownPayer>()
  const customerIds = [...new Set(orders.map((order) => order.customer_id).filter((id): id is string => !!id))]
  const customerNames = new Map<string, string | null>()
  const ibansOfCustomer = new Map<string, Set<string>>()
  if (customerIds.length) {
    const customerModule = container.resolve(Modules.CUSTOMER)
    const orderModule = container.resolve(Modules.ORDER)
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const [customers, customerOrders] = await Promise.all([
      customerModule.listCustomers({ id: customerIds }, { select: ["id", "first_name", "last_name"], take: customerIds.length }),
      orderModule.listOrders({ customer_id: customerIds, is_draft_order: false } as never, {
        select: ["id", "customer_id"],
        order: { created_at: "DESC" },
        take: CUSTOMER_ORDERS,
      }),
    ])
    for (const customer of customers) {
      customerNames.set(customer.id, fullName(customer))
    }
    const customerOfOrder = new Map(customerOrders.map((order) => [order.id, order.customer_id as string]))
    const orderIds = [...customerOfOrder.keys()]
    for (let start = 0; start < orderIds.length; start += CHUNK) {
      const receipts = await desk.listAuditEntries(
        { order_id: orderIds.slice(start, start + CHUNK), action: "payment_recorded" },
        { select: ["order_id", "metadata"] }
      )
      for (const receipt of receipts) {
        const iban = ibanKey((receipt.metadata as { payer_iban?: string | null } | null)?.payer_iban)
        const customerId = customerOfOrder.get(receipt.order_id as string)
        if (iban && customerId) {
          const set = ibansOfCustomer.get(customerId) ?? new Set<string>()
          set.add(iban)
          ibansOfCustomer.set(customerId, set)
        }
      }
    }
  }
  for (const order of orders) {
    const names = [...order.names, order.customer_id ? customerNames.get(order.customer_id) : null]
      .map(nameKey)
      .filter((key): key is string => !!key)
    known.set(order.order_id, {
      names: [...new Set(names)],
      ibans: order.customer_id ? [...(ibansOfCustomer.get(order.customer_id) ?? [])] : [],
    })
  }
  return known
}
