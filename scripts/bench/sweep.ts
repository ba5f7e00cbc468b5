// `medusa exec ./scripts/bench/sweep.ts` (run by `npm run bench`): closing
// expired unpaid orders through the auto-close job against Medusa's
// cancelOrderWorkflow on equivalent orders, serially, in one process; and the
// sweep's peak memory at two sizes. Writes JSON to BENCH_SWEEP_OUT.
import fs from "node:fs"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import closeUnpaidOrdersJob from "../../src/jobs/close-unpaid-orders"
import { seedStore, SeededStore } from "../seed/store"
import { bulkOrders } from "./bulk-orders"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"


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
  const cpuBefore = process.cpuUsage()
  await work()
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  const cpuMs = (cpu.user + cpu.system) / 1000
  clearInterval(timer)
  global.gc?.()
  const retained = process.memoryUsage().heapUsed
  return {
    ms,
    // This process's CPU time (JavaScript runs on one thread; the figure also
    // counts V8's GC and libuv helper threads, so it is an upper estimate of
    // that thread's): its share of the wall time bounds what concurrency gains.
    cpu_ms: Math.round(cpuMs),
    cpu_share: +(cpuMs / ms).toFixed(2),
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

  // Where core's cancel of an unpaid order spends its time: two of its nested
  // workflows, run on their own (by id, through the workflow engine) on
  // equivalent fresh orders: the refund of captured payments (nothing is
  // captured) and the order's refund credit line, which core's cancel adds
  // even when the amount is 0 (an order change, its action and its confirmation).
  const partsCount = Math.min(100, small)
  const parts = await bulkOrders(container, store, partsCount, 1)
  const engine = container.resolve(Modules.WORKFLOW_ENGINE)
  const creditLine = await measured(async () => {
    for (const id of parts) {
      await engine.run("create-order-refund-credit-lines", { input: { order_id: id, amount: 0 } })
    }
  })
  const refundCaptured = await measured(async () => {
    for (const id of parts) {
      await engine.run("refund-captured-payments-workflow", { input: { order_id: id } })
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
    // CPU per closed order here against core's per canceled order: with one
    // JavaScript thread, the sweep's throughput ratio cannot pass core's wall
    // time per order over the sweep's CPU time per order (roughly: see cpu_ms).
    cpu_ms_per_order: {
      job: +(job.cpu_ms / Math.max(1, closedSmall)).toFixed(1),
      core_cancel: +(core.cpu_ms / Math.max(1, fresh.length)).toFixed(1),
    },
    core_cancel_parts_cpu_ms_per_order: {
      zero_credit_line: +(creditLine.cpu_ms / partsCount).toFixed(1),
      refund_captured_payments: +(refundCaptured.cpu_ms / partsCount).toFixed(1),
    },
    throughput_bound: +((core.ms / Math.max(1, fresh.length)) / (job.cpu_ms / Math.max(1, closedSmall))).toFixed(2),
    concurrency: container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().auto_close.concurrency,
    target: "throughput ratio >= 1.5x; retained memory flat from small to large",
  }
  fs.writeFileSync(process.env.BENCH_SWEEP_OUT!, JSON.stringify(result, null, 2))
}
