// `medusa exec ./scripts/bench/sweep.ts` (run by `npm run bench`): closing
// expired unpaid orders through the auto-close job against Medusa's
// cancelOrderWorkflow on equivalent orders, serially, in one process; and the
// sweep's peak memory at two sizes. Writes JSON to BENCH_SWEEP_OUT.
import fs from "node:fs"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import closeUnpaidOrdersJob from "../../src/jobs/close-unpaid-orders"
import { seedStore, SeededStore } from "../seed/store"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"

/** Orders with an authorized bank-transfer payment, created `ageHours` ago, in bulk (modules for orders and collections, SQL copies of one authorized payment). */
async function bulkOrders(container: MedusaContainer, store: SeededStore, count: number, ageHours: number) {
  const orders = container.resolve(Modules.ORDER)
  const payments = container.resolve(Modules.PAYMENT)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  let template: { session_id: string; payment_id: string; collection_id: string } | null = null
  const ids: string[] = []
  for (let offset = 0; offset < count; offset += 200) {
    const size = Math.min(200, count - offset)
    const created = (await orders.createOrders(
      Array.from({ length: size }, (_, i) => ({
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        currency_code: "eur",
        email: `sweep-${offset + i}@example.com`,
        status: "pending" as const,
        created_at: new Date(Date.now() - ageHours * 3_600_000),
        items: [{ title: "Desk lamp", quantity: 1, unit_price: 100, variant_id: store.variant_ids[0] }],
      })) as Parameters<typeof orders.createOrders>[0]
    )) as unknown as { id: string }[]
    const collections = await payments.createPaymentCollections(
      created.map(() => ({ currency_code: "eur", amount: 100 }))
    )
    await link.create(
      created.map((order, i) => ({
        [Modules.ORDER]: { order_id: order.id },
        [Modules.PAYMENT]: { payment_collection_id: collections[i].id },
      }))
    )
    // The first payment is made the way checkout makes it (session,
    // authorization); the rest are copies of its rows (session, payment,
    // collection status) on their own collections: 10,000 orders seed in
    // seconds instead of an hour, and each is the same to the sweep.
    let pending = collections
    if (!template) {
      const session = await payments.createPaymentSession(collections[0].id, {
        provider_id: "pp_manual_bank-transfer",
        amount: 100,
        currency_code: "eur",
        data: {},
        context: {},
      })
      const payment = await payments.authorizePaymentSession(session.id, {})
      template = { session_id: session.id, payment_id: payment!.id, collection_id: collections[0].id }
      pending = collections.slice(1)
    }
    if (pending.length) {
      const tag = `${Date.now().toString(36)}${offset}`
      const cols = pending.map((c) => c.id)
      const sessions = pending.map((_, i) => `payses_bulk_${tag}_${i}`)
      const pays = pending.map((_, i) => `pay_bulk_${tag}_${i}`)
      await pg.raw(
        `insert into payment_session
         select (jsonb_populate_record(null::payment_session, to_jsonb(s) || jsonb_build_object('id', t.ses, 'payment_collection_id', t.pc))).*
           from payment_session s, unnest(?::text[], ?::text[]) as t(pc, ses) where s.id = ?`,
        [cols, sessions, template.session_id]
      )
      await pg.raw(
        `insert into payment
         select (jsonb_populate_record(null::payment, to_jsonb(p) || jsonb_build_object('id', t.pay, 'payment_collection_id', t.pc, 'payment_session_id', t.ses))).*
           from payment p, unnest(?::text[], ?::text[], ?::text[]) as t(pc, ses, pay) where p.id = ?`,
        [cols, sessions, pays, template.payment_id]
      )
      await pg.raw(
        `update payment_collection c
            set status = tpl.status, authorized_amount = tpl.authorized_amount, raw_authorized_amount = tpl.raw_authorized_amount
           from payment_collection tpl where tpl.id = ? and c.id = any(?::text[])`,
        [template.collection_id, cols]
      )
    }
    ids.push(...created.map((order) => order.id))
  }
  // Statistics as a live store has them: right after a bulk insert the
  // planner would think the tables empty and pick nested scans of them.
  await pg.raw(`analyze "order", order_payment_collection, payment, payment_collection, payment_session, capture`)
  return ids
}

/** Runs `work` while sampling memory every 25 ms; returns its duration and the peaks. */
async function measured(work: () => Promise<void>) {
  global.gc?.()
  const base = process.memoryUsage()
  let peakHeap = base.heapUsed
  let peakRss = base.rss
  const timer = setInterval(() => {
    const now = process.memoryUsage()
    peakHeap = Math.max(peakHeap, now.heapUsed)
    peakRss = Math.max(peakRss, now.rss)
  }, 25)
  const started = performance.now()
  await work()
  const ms = performance.now() - started
  clearInterval(timer)
  global.gc?.()
  const retained = process.memoryUsage().heapUsed
  return {
    ms,
    retained_heap_growth_mb: +((retained - base.heapUsed) / 1048576).toFixed(1),
    peak_heap_mb: +(peakHeap / 1048576).toFixed(1),
    heap_growth_mb: +((peakHeap - base.heapUsed) / 1048576).toFixed(1),
    peak_rss_mb: +(peakRss / 1048576).toFixed(1),
  }
}

/** Runs the auto-close job until a run closes nothing; returns how many it closed. */
async function sweep(container: MedusaContainer) {
  let closed = 0
  for (;;) {
    const report = await closeUnpaidOrdersJob(container)
    closed += report?.closed ?? 0
    if (!report?.closed) {
      return closed
    }
  }
}

export default async function sweepBench({ container }: ExecArgs) {
  const small = Number(process.env.BENCH_SWEEP_SMALL || 1000)
  const large = Number(process.env.BENCH_SWEEP_LARGE || 10000)
  const log = (message: string) => process.stdout.write(`[sweep] ${message}\n`)
  const store = await seedStore(container, { name: "Sweep bench" })

  // Warm both paths up (first runs compile queries and workflows), untimed.
  const warm = await bulkOrders(container, store, 10, 1)
  for (const id of warm.slice(0, 5)) {
    await cancelOrderWorkflow(container).run({ input: { order_id: id } })
  }
  await bulkOrders(container, store, 5, 72)
  await sweep(container)

  log(`Seeding ${small} expired unpaid orders and ${small} equivalent fresh ones`)
  await bulkOrders(container, store, small, 72)
  const fresh = await bulkOrders(container, store, small, 1)

  log(`Closing ${small} expired orders through the job`)
  let closedSmall = 0
  const job = await measured(async () => {
    closedSmall = await sweep(container)
  })
  log(`Canceling ${small} equivalent orders with cancelOrderWorkflow, serially`)
  const core = await measured(async () => {
    for (const id of fresh) {
      await cancelOrderWorkflow(container).run({ input: { order_id: id } })
    }
  })

  log(`Seeding ${large} more expired orders`)
  await bulkOrders(container, store, large, 72)
  log(`Closing ${large} expired orders through the job`)
  let closedLarge = 0
  const big = await measured(async () => {
    closedLarge = await sweep(container)
  })

  const result = {
    sizes: { small, large },
    job_small: { closed: closedSmall, orders_per_s: +(closedSmall / (job.ms / 1000)).toFixed(1), ...job },
    core_cancel_small: { canceled: fresh.length, orders_per_s: +(fresh.length / (core.ms / 1000)).toFixed(1), ...core },
    throughput_ratio: +((closedSmall / job.ms) / (fresh.length / core.ms)).toFixed(2),
    job_large: { closed: closedLarge, orders_per_s: +(closedLarge / (big.ms / 1000)).toFixed(1), ...big },
    // Against the serial core rate measured at the small size (core is not run at the large size).
    throughput_ratio_large: +((closedLarge / big.ms) / (fresh.length / core.ms)).toFixed(2),
    concurrency: container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().auto_close.concurrency,
    target: "throughput ratio >= 1.5x; retained memory flat from small to large",
  }
  fs.writeFileSync(process.env.BENCH_SWEEP_OUT!, JSON.stringify(result, null, 2))
}
