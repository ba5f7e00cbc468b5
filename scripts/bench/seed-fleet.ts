// `medusa exec ./scripts/bench/seed-fleet.ts` (run by `npm run bench -- --only=fleet`):
// a store with two sets of BENCH_FLEET_ORDERS unpaid bank-transfer orders,
// placed an hour ago (inside their 48-hour window), one set for the run with
// one worker and one for the run with two; writes their ids to BENCH_FLEET_OUT.
// The bench makes a set overdue (in SQL) once its workers are up.
import fs from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { seedStore } from "../seed/store"
import { bulkOrders } from "./bulk-orders"

export default async function seedFleet({ container }: ExecArgs) {
  const count = Number(process.env.BENCH_FLEET_ORDERS || 300)
  const store = await seedStore(container, { name: "Fleet bench" })
  // A few for the workers' first runs (they compile queries and workflows), then the two sets.
  const warm = await bulkOrders(container, store, 10, 1)
  const one = await bulkOrders(container, store, count, 1)
  const two = await bulkOrders(container, store, count, 1)
  fs.writeFileSync(process.env.BENCH_FLEET_OUT!, JSON.stringify({ warm, one, two }))
}
