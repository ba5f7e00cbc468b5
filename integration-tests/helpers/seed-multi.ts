// `medusa exec` target of the multi-instance test: seeds the shared database
// (store, admin, paid Stripe orders, bank-transfer orders, some overdue, more
// for the fleet test) and
// writes what it made to MULTI_SEED_OUT as JSON.
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import fs from "node:fs"
import { capture, createAdminUser, placeOrder, seedStore } from "../../scripts/seed/store"

export default async function seedMulti({ container }: ExecArgs) {
  const store = await seedStore(container, {
    name: "Multi-instance spec",
    paymentProviders: ["pp_manual_bank-transfer", "pp_stripe_stripe"],
  })
  await createAdminUser(container, { email: "admin@payment-desk.test", password: "supersecret" })
  const items = [{ variant_id: store.variant_ids[0], quantity: 2 }]
  const stripeOrders: { order_id: string; payment_id: string }[] = []
  for (let i = 0; i < Number(process.env.MULTI_STRIPE_ORDERS ?? 4); i++) {
    const placed = await placeOrder(container, store, { provider_id: "pp_stripe_stripe", email: `card-${i}@example.com`, items })
    await capture(container, placed.payment_id)
    stripeOrders.push(placed)
  }
  const bankOrders: { order_id: string; payment_id: string }[] = []
  const overdueOrders: { order_id: string; payment_id: string }[] = []
  const orders = container.resolve(Modules.ORDER)
  for (let i = 0; i < Number(process.env.MULTI_OVERDUE_ORDERS ?? 3); i++) {
    const placed = await placeOrder(container, store, { provider_id: "pp_manual_bank-transfer", email: `late-${i}@example.com`, items })
    // Placed three days ago: past the 48-hour window.
    await orders.updateOrders(placed.order_id, { created_at: new Date(Date.now() - 72 * 3_600_000) } as never)
    overdueOrders.push(placed)
  }
  // Orders the fleet test makes overdue (in SQL) once a second worker runs: placed now, inside their window.
  const fleetOrders: { order_id: string; payment_id: string }[] = []
  for (let i = 0; i < Number(process.env.MULTI_FLEET_ORDERS ?? 40); i++) {
    fleetOrders.push(await placeOrder(container, store, { provider_id: "pp_manual_bank-transfer", email: `fleet-${i}@example.com`, items }))
  }
  for (let i = 0; i < 2; i++) {
    bankOrders.push(
      await placeOrder(container, store, { provider_id: "pp_manual_bank-transfer", email: `bank-${i}@example.com`, items })
    )
  }
  fs.writeFileSync(process.env.MULTI_SEED_OUT!, JSON.stringify({ store, stripeOrders, bankOrders, overdueOrders, fleetOrders }))
}
