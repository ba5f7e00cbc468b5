// `medusa exec ./scripts/bench/seed-import.ts` (run by `npm run bench`): the
// orders and the CAMT.053 file of the statement-import benchmark. BENCH_IMPORT_LINES
// credit lines against as many open orders (80 % exact, 10 % partial, 10 %
// naming no order), and for the route side a tenth as many orders as exact
// lines, each taking ten €10 receipts. With BENCH_IMPORT_FLEET_LINES, two
// more files (fleet-1.xml, fleet-2.xml) of that many exact lines each, on
// orders of their own, for the import on one worker and on two. Writes the
// files and a JSON of ids to BENCH_IMPORT_DIR.
import fs from "node:fs"
import path from "node:path"
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { creditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { buildCamt053, BuildCamtLine } from "../lib/build-camt"
import { createAdminUser, seedStore } from "../seed/store"
import { bulkOrders } from "./bulk-orders"

export default async function seedImportBench({ container }: ExecArgs) {
  const lines = Number(process.env.BENCH_IMPORT_LINES || 5000)
  const dir = process.env.BENCH_IMPORT_DIR!
  const store = await seedStore(container, { name: "Import bench" })
  await createAdminUser(container, { email: "bench@payment-desk.test", password: "supersecret" })
  const exact = Math.round(lines * 0.8)
  const partial = Math.round(lines * 0.1)
  const statementOrders = await bulkOrders(container, store, exact + partial, 1)
  const routeOrders = await bulkOrders(container, store, Math.ceil(exact / 10), 1)
  const listed = await container
    .resolve(Modules.ORDER)
    .listOrders({ id: statementOrders }, { select: ["id", "display_id"], take: statementOrders.length })
  const displayIds = new Map(listed.map((order) => [order.id, Number(order.display_id)]))
  const today = new Date().toISOString().slice(0, 10)
  const camtLines: BuildCamtLine[] = statementOrders.map((id, i) => ({
    amount: i < exact ? "100.00" : "40.00",
    direction: "credit",
    booking_date: today,
    reference: creditorReference(displayIds.get(id)!),
    name: "Bench Payer",
    iban: "NL91ABNA0417164300",
    bank_id: `BENCH-${i}`,
  }))
  for (let i = 0; i < lines - exact - partial; i++) {
    camtLines.push({ amount: "33.33", direction: "credit", booking_date: today, remittance: `Unknown payment ${i}`, bank_id: `BENCH-U-${i}` })
  }
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(
    path.join(dir, "statement.xml"),
    buildCamt053({ account_iban: "DE89370400440532013000", currency: "EUR", statements: [{ id: `BENCH-${today}`, lines: camtLines }] })
  )
  const fleetLines = Number(process.env.BENCH_IMPORT_FLEET_LINES || 0)
  for (const set of fleetLines ? [1, 2] : []) {
    const orders = await bulkOrders(container, store, fleetLines, 1)
    const numbers = await container.resolve(Modules.ORDER).listOrders({ id: orders }, { select: ["id", "display_id"], take: orders.length })
    const fleetCamt: BuildCamtLine[] = numbers.map((order, i) => ({
      amount: "100.00",
      direction: "credit",
      booking_date: today,
      reference: creditorReference(Number(order.display_id)),
      name: "Bench Payer",
      iban: "NL91ABNA0417164300",
      bank_id: `BENCH-FLEET-${set}-${i}`,
    }))
    fs.writeFileSync(
      path.join(dir, `fleet-${set}.xml`),
      buildCamt053({ account_iban: "DE89370400440532013000", currency: "EUR", statements: [{ id: `BENCH-FLEET-${set}-${today}`, lines: fleetCamt }] })
    )
  }
  fs.writeFileSync(path.join(dir, "fixtures.json"), JSON.stringify({ lines, exact, partial, route_orders: routeOrders, fleet_lines: fleetLines }, null, 2))
}
