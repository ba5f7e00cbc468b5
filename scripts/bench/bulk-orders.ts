// Bench helper: orders with an authorized bank-transfer payment, created in
// bulk through the modules (a storefront checkout per order would take the
// bench tens of minutes for thousands of orders).
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { SeededStore } from "../seed/store"

/** `count` orders of €100 paid by bank transfer (authorized, nothing captured), created `ageHours` ago; their ids in order. */
export async function bulkOrders(container: MedusaContainer, store: SeededStore, count: number, ageHours: number) {
  const orders = container.resolve(Modules.ORDER)
  const payments = container.resolve(Modules.PAYMENT)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const ids: string[] = []
  for (let offset = 0; offset < count; offset += 200) {
    const size = Math.min(200, count - offset)
    const created = (await orders.createOrders(
      Array.from({ length: size }, (_, i) => ({
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        currency_code: "eur",
        email: `bench-${offset + i}@example.com`,
        status: "pending" as const,
        created_at: new Date(Date.now() - ageHours * 3_600_000),
        items: [{ title: "Desk lamp", quantity: 1, unit_price: 100, variant_id: store.variant_ids[0] }],
      })) as Parameters<typeof orders.createOrders>[0]
    )) as unknown as { id: string }[]
    const collections = await payments.createPaymentCollections(created.map(() => ({ currency_code: "eur", amount: 100 })))
    await link.create(
      created.map((order, i) => ({
        [Modules.ORDER]: { order_id: order.id },
        [Modules.PAYMENT]: { payment_collection_id: collections[i].id },
      }))
    )
    for (const collection of collections) {
      const session = await payments.createPaymentSession(collection.id, {
        provider_id: "pp_manual_bank-transfer",
        amount: 100,
        currency_code: "eur",
        data: {},
        context: {},
      })
      await payments.authorizePaymentSession(session.id, {})
    }
    ids.push(...created.map((order) => order.id))
  }
  return ids
}
