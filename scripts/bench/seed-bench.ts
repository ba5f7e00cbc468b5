// `medusa exec ./scripts/bench/seed-bench.ts`: a store, an admin and
// equivalent orders for each side of the benchmark; writes their ids to the
// file named by BENCH_FIXTURES.
import fs from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { createAdminUser, placeOrder, seedStore } from "../seed/store"

export default async function seedBench({ container }: ExecArgs) {
  const perSide = Number(process.env.BENCH_ORDERS_PER_SIDE || 10)
  const store = await seedStore(container, { name: "Bench" })
  await createAdminUser(container, { email: "bench@payment-desk.test", password: "supersecret" })
  const place = () =>
    placeOrder(container, store, {
      provider_id: "pp_manual_bank-transfer",
      email: "bench@example.com",
      items: [{ variant_id: store.variant_ids[0], quantity: 2 }],
    })
  const orders: { side: string; order_id: string; payment_id: string }[] = []
  for (let i = 0; i < perSide; i++) {
    orders.push({ side: "plugin", ...(await place()) })
    orders.push({ side: "core", ...(await place()) })
  }
  fs.writeFileSync(process.env.BENCH_FIXTURES!, JSON.stringify({ orders }, null, 2))
}
