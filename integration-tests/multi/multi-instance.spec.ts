// Production shape: two server instances and one worker (MEDUSA_WORKER_MODE)
// on one PostgreSQL database and one Redis (event bus, workflow engine,
// locking, cache), all started here, with the fake Stripe in this process.
// Requests are split across both servers; the jobs run on the worker only.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { Client } from "pg"
import { freePort, MedusaInstance, medusaCommand, RedisServer } from "../helpers/processes"
import { FakeStripe } from "../helpers/fake-stripe"

jest.setTimeout(600_000)

type Reply = { status: number; data: any }
type Seed = {
  store: { publishable_key: string }
  stripeOrders: { order_id: string; payment_id: string }[]
  bankOrders: { order_id: string; payment_id: string }[]
  overdueOrders: { order_id: string; payment_id: string }[]
  fleetOrders: { order_id: string; payment_id: string }[]
}

const pgUrl = (db: string) =>
  `postgres://${process.env.DB_USERNAME || "postgres"}${process.env.DB_PASSWORD ? `:${process.env.DB_PASSWORD}` : ""}@${
    process.env.DB_HOST || "localhost"
  }:${process.env.DB_PORT || 5432}/${db}`

const stripe = new FakeStripe()
const database = `payment_desk_multi_${process.pid}`
let redis: RedisServer
let serverA: MedusaInstance
let serverB: MedusaInstance
let worker: MedusaInstance
let seed: Seed
let token = ""
let env: NodeJS.ProcessEnv
/** Figures of the run (calls, statuses, totals), written to test-artifacts/multi-instance.json. */
const figures: Record<string, unknown> = {}
const tally = (statuses: number[]) =>
  statuses.reduce<Record<string, number>>((counts, s) => ({ ...counts, [s]: (counts[s] ?? 0) + 1 }), {})

async function call(instance: MedusaInstance, method: "GET" | "POST", url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${instance.url}${url}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  let data: any = text
  try {
    data = JSON.parse(text)
  } catch {
    // An HTML error page: kept as text for the assertion message.
  }
  return { status: response.status, data }
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: T = await read()
  while (!done(last)) {
    if (Date.now() > end) {
      throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs / 1000} s`)
    }
    await new Promise((r) => setTimeout(r, 500))
    last = await read()
  }
  return last
}

/** Ledger, Medusa and Stripe for one order, read through server B. */
async function books(orderId: string, paymentId: string) {
  const summary = (await call(serverB, "GET", `/admin/payment-desk/orders/${orderId}`)).data
  const payment = (await call(serverB, "GET", `/admin/payments/${paymentId}?fields=*refunds,data`)).data.payment
  const ledger = (summary.refunds as { status: string; amount: number }[])
    .filter((r) => r.status === "succeeded" || r.status === "awaiting_payout")
    .reduce((sum, r) => sum + Number(r.amount), 0)
  return {
    ledger,
    medusa: (payment.refunds as { amount: number }[]).reduce((sum, r) => sum + Number(r.amount), 0),
    order_refunded: summary.refunded_total,
    stripe: stripe.refundedFor(payment.data.id) / 100,
    pending_difference: summary.outstanding_amount,
  }
}

beforeAll(async () => {
  await stripe.start()
  redis = new RedisServer(await freePort())
  await redis.start()
  const admin = new Client({ connectionString: pgUrl("postgres") })
  await admin.connect()
  await admin.query(`drop database if exists ${database}`)
  await admin.query(`create database ${database}`)
  await admin.end()

  env = {
    ...process.env,
    NODE_OPTIONS: "",
    NODE_ENV: "development",
    DATABASE_URL: pgUrl(database),
    REDIS_URL: redis.url,
    JWT_SECRET: "multi-secret",
    COOKIE_SECRET: "multi-secret",
    DISABLE_MEDUSA_ADMIN: "true",
    PAYMENT_DESK_STRIPE_API_KEY: stripe.apiKey,
    PAYMENT_DESK_STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    PAYMENT_DESK_STRIPE_API_HOST: stripe.url,
    // Long enough for the kill test to catch a server inside its Stripe call.
    PAYMENT_DESK_STRIPE_TIMEOUT_MS: "10000",
    PAYMENT_DESK_OPTIONS: JSON.stringify({
      order_lock: { ttl_seconds: 12, wait_seconds: 3 },
      refunds: { reconcileAfterMinutes: 0.05 },
    }),
    PAYMENT_DESK_AUTO_CLOSE_SCHEDULE: "2000",
    // A batch of the auto-close whose worker was killed goes to the other worker within seconds.
    EVENT_BUS_LOCK_DURATION_MS: "4000",
    PAYMENT_DESK_RECONCILE_SCHEDULE: "2000",
  }
  await medusaCommand(["db:migrate"], env)
  const out = path.join(os.tmpdir(), `payment-desk-multi-${process.pid}.json`)
  await medusaCommand(["exec", "./integration-tests/helpers/seed-multi.ts"], { ...env, MULTI_SEED_OUT: out })
  seed = JSON.parse(fs.readFileSync(out, "utf8"))

  const [a, b, w] = await Promise.all([freePort(), freePort(), freePort()])
  serverA = new MedusaInstance("server A", a, { ...env, MEDUSA_WORKER_MODE: "server" })
  serverB = new MedusaInstance("server B", b, { ...env, MEDUSA_WORKER_MODE: "server" })
  worker = new MedusaInstance("worker", w, { ...env, MEDUSA_WORKER_MODE: "worker" })
  // One at a time: three boots at once on two cores take longer than one after another.
  await serverA.start()
  await serverB.start()
  await worker.start()
  const login = await fetch(`${serverA.url}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@payment-desk.test", password: "supersecret" }),
  })
  token = (await login.json()).token
  // The migration, the seed (49 orders through checkout) and three instances'
  // boots: 426 s in one CI run on a loaded 2-core machine.
}, 1_200_000)

afterAll(async () => {
  fs.mkdirSync(path.join(__dirname, "../../test-artifacts"), { recursive: true })
  fs.writeFileSync(path.join(__dirname, "../../test-artifacts/multi-instance.json"), JSON.stringify(figures, null, 2))
  await Promise.all([serverA?.kill(), serverB?.kill(), worker?.kill()])
  await redis?.stop()
  await stripe.stop()
  const admin = new Client({ connectionString: pgUrl("postgres") })
  await admin.connect()
  await admin.query(`drop database if exists ${database} with (force)`).catch(() => {})
  await admin.end()
})

describe("two servers and a worker on one database and one Redis", () => {
  it("makes one Stripe refund for a 50-way duplicate storm split across both servers", async () => {
    const { order_id, payment_id } = seed.stripeOrders[0]
    const before = stripe.refundExecutions
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(i % 2 ? serverB : serverA, "POST", `/admin/payment-desk/orders/${order_id}/refunds`, { amount: 40 }, { "idempotency-key": "storm-1" })
      )
    )
    const statuses = replies.map((r) => r.status)
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true)
    expect(stripe.refundExecutions - before).toBe(1)
    const state = await books(order_id, payment_id)
    figures.duplicate_storm = { calls: 50, statuses: tally(statuses), stripe_executions: stripe.refundExecutions - before, ...state }
    expect(state).toMatchObject({ ledger: 40, medusa: 40, order_refunded: 40, stripe: 40 })
  })

  it("never refunds more than captured under a 20-way storm of different refunds across both servers", async () => {
    const { order_id, payment_id } = seed.stripeOrders[1]
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 ? serverB : serverA, "POST", `/admin/payment-desk/orders/${order_id}/refunds`, { amount: 30 }, { "idempotency-key": `own-${i}` })
      )
    )
    const statuses = replies.map((r) => r.status)
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    const succeeded = replies.filter((r) => r.status === 200).length
    const state = await books(order_id, payment_id)
    figures.over_refund_storm = { calls: 20, amount_each: 30, captured: 210, statuses: tally(statuses), ...state }
    // €210 captured: at most 7 refunds of €30, and every book agrees.
    expect(succeeded).toBeLessThanOrEqual(7)
    expect(state.stripe).toBe(succeeded * 30)
    expect(state).toMatchObject({ ledger: succeeded * 30, medusa: succeeded * 30, order_refunded: succeeded * 30 })
  })

  it("closes each expired order once, from the worker only, with counters and notifications once", async () => {
    const ids = seed.overdueOrders.map((o) => o.order_id)
    const closed = await until(
      "overdue orders closed",
      async () => Promise.all(ids.map(async (id) => (await call(serverA, "GET", `/admin/payment-desk/orders/${id}`)).data.closure)),
      (closures) => closures.every(Boolean)
    )
    expect(closed.map((c: { reason: string; actor_type: string }) => [c.reason, c.actor_type])).toEqual(
      ids.map(() => ["payment_timeout", "system"])
    )
    // The servers never ran the job; the worker did.
    expect(serverA.output + serverB.output).not.toContain("Unpaid orders:")
    expect(worker.output).toContain("Unpaid orders:")
    const counters = await until(
      "timeout counter",
      async () => (await call(serverB, "GET", "/admin/payment-desk/counters?scope=global&name=payment_timeouts")).data.counters,
      (rows: { value: number }[]) => rows[0]?.value === ids.length
    )
    expect(counters[0].value).toBe(ids.length)
    // A few more job runs change nothing.
    await new Promise((r) => setTimeout(r, 5_000))
    const again = (await call(serverB, "GET", "/admin/payment-desk/counters?scope=global&name=payment_timeouts")).data.counters
    expect(again[0].value).toBe(ids.length)
    const feed = await until(
      "feed posts",
      async () => (await call(serverB, "GET", "/admin/notifications?channel=feed&limit=100")).data.notifications,
      (rows: unknown[]) => rows.length >= ids.length
    )
    for (const id of ids) {
      expect(feed.filter((n: { data: { order_id?: string } }) => n.data?.order_id === id)).toHaveLength(1)
    }
  })

  it("shares the auto-close between two workers through the Redis event bus; a worker killed mid-batch loses nothing and closes nothing twice", async () => {
    const second = new MedusaInstance("worker 2", await freePort(), { ...env, MEDUSA_WORKER_MODE: "worker" })
    await second.start()
    // Closed in `finally` too: a failed wait must not leave it open while the database goes.
    const pg = new Client({ connectionString: pgUrl(database) })
    try {
      const ids = seed.fleetOrders.map((o) => o.order_id)
      const timeouts = async () =>
        (await call(serverB, "GET", "/admin/payment-desk/counters?scope=global&name=payment_timeouts")).data.counters[0]?.value ?? 0
      const before = await timeouts()
      const started = (output: string) => output.split("Processing payment_desk.overdue_orders_found").length - 1
      const startedBefore = started(worker.output)
      // Past their 48-hour window all at once, as if placed three days ago.
      await pg.connect()
      await pg.query(`update "order" set created_at = now() - interval '72 hours' where id = any($1::text[])`, [ids])
      // Worker 1 is killed (kill -9) as soon as it starts a batch: its closes stop wherever they are.
      await until("worker 1 inside a batch", async () => started(worker.output), (n) => n > startedBefore, 60_000)
      await worker.kill()
      const killedAt = Date.now()
      const closed = await until(
        "fleet orders closed",
        async () => Promise.all(ids.map(async (id) => (await call(serverA, "GET", `/admin/payment-desk/orders/${id}`)).data.closure)),
        (closures) => closures.every(Boolean),
        // One worker closes the 40 through Medusa's cancel flow; with every core taken by
        // other suites the whole test took 113 s of a clean-clone run (it waits, it does not time).
        240_000
      )
      expect(closed.map((c: { reason: string; actor_type: string }) => [c.reason, c.actor_type])).toEqual(
        ids.map(() => ["payment_timeout", "system"])
      )
      // The job handed the orders out as events, and the living worker took the dead one's batch again.
      const batchesOf = (output: string) => output.split("Unpaid orders (a batch of").length - 1
      expect(batchesOf(second.output)).toBeGreaterThan(0)
      expect(worker.output + second.output).toContain("overdue handed to the workers")
      await until("timeouts counted", timeouts, (value) => value === before + ids.length)
      const feed = await until(
        "feed posts",
        async () => (await call(serverB, "GET", "/admin/notifications?channel=feed&limit=200")).data.notifications,
        (rows: { data: { order_id?: string } }[]) => ids.every((id) => rows.some((n) => n.data?.order_id === id))
      )
      // Later job runs and redelivered batches change nothing: one closure, one count, one post each.
      await new Promise((r) => setTimeout(r, 5_000))
      expect(await timeouts()).toBe(before + ids.length)
      for (const id of ids) {
        expect(feed.filter((n: { data: { order_id?: string } }) => n.data?.order_id === id)).toHaveLength(1)
      }
      const { rows } = await pg.query(
        `select o.id, o.status, (select count(*)::int from payment_desk_order_closure cl where cl.order_id = o.id) as closures
           from "order" o where o.id = any($1::text[])`,
        [ids]
      )
      expect(rows.filter((row: { status: string; closures: number }) => row.status !== "canceled" || row.closures !== 1)).toEqual([])
      figures.fleet_sweep = {
        orders: ids.length,
        batches_done_by_worker_2: batchesOf(second.output),
        all_closed_after_kill_ms: Date.now() - killedAt,
        finished_forward: second.output.split("the close a stopped worker began is now recorded").length - 1,
      }
    } finally {
      await pg.end().catch(() => {})
      await second.kill()
      // The other tests' worker, back.
      await worker.start()
    }
  })

  it("settles a refund whose server was killed inside the Stripe call, refuses the other server meanwhile, and takes new refunds after the lock's TTL", async () => {
    const { order_id, payment_id } = seed.stripeOrders[2]
    stripe.refundMode = "timeout_after_taking"
    stripe.holdMs = 15_000
    const before = stripe.refundExecutions
    const inFlight = call(serverA, "POST", `/admin/payment-desk/orders/${order_id}/refunds`, { amount: 50 }).catch(() => null)
    await until("Stripe took the refund", async () => stripe.refundExecutions, (n) => n === before + 1, 30_000)
    const killedAt = Date.now()
    await serverA.kill()
    await inFlight
    stripe.refundMode = "succeed"

    // The dead server's lock still holds: the other server waits a few seconds, then says so.
    const started = Date.now()
    const meanwhile = await call(serverB, "POST", `/admin/payment-desk/orders/${order_id}/refunds`, { amount: 10 })
    const meanwhile_ms = Date.now() - started
    expect(meanwhile_ms).toBeLessThan(8_000)
    expect(meanwhile.status).toBe(409)
    expect(meanwhile.data.message).toMatch(/in progress/)

    // Reconciliation (on the worker) finds Stripe's refund by its metadata once the lock has expired.
    const settled = await until(
      "refund settled by reconciliation",
      async () => (await call(serverB, "GET", `/admin/payment-desk/orders/${order_id}`)).data.refunds,
      (rows: { status: string }[]) => rows.length === 1 && rows[0].status === "succeeded",
      60_000
    )
    expect(settled[0].amount).toBe(50)
    expect(stripe.refundExecutions - before).toBe(1)
    // On the Redis event bus the job handed the pending refund to the workers, and a worker's subscriber checked it.
    expect(worker.output).toContain("pending refunds handed to the workers")
    expect(worker.output).toContain("Refund reconciliation (a batch of")
    expect(await books(order_id, payment_id)).toMatchObject({ ledger: 50, medusa: 50, order_refunded: 50, stripe: 50 })

    // A new refund goes through, no later than the lock's TTL after the kill.
    const next = await until(
      "a new refund accepted",
      () => call(serverB, "POST", `/admin/payment-desk/orders/${order_id}/refunds`, { amount: 10 }),
      (reply) => reply.status !== 409,
      30_000
    )
    expect(next.status).toBe(200)
    figures.kill_during_stripe_call = {
      other_server_answer: meanwhile.status,
      other_server_waited_ms: meanwhile_ms,
      new_refund_accepted_after_kill_ms: Date.now() - killedAt,
      stripe_executions: stripe.refundExecutions - before,
    }
    expect(Date.now() - killedAt).toBeLessThan(12_000 + 20_000)
    expect(await books(order_id, payment_id)).toMatchObject({ ledger: 60, medusa: 60, order_refunded: 60, stripe: 60 })
    await serverA.start()
  })

  it("recovers from a Redis restart without restarting the instances, losing no row, closure or counter", async () => {
    await redis.stop()
    await new Promise((r) => setTimeout(r, 1_000))
    await redis.start()
    const { order_id, payment_id } = seed.stripeOrders[3]
    const refund = await until(
      "a refund after the Redis restart",
      () => call(serverA, "POST", `/admin/payment-desk/orders/${order_id}/refunds`, { amount: 20 }, { "idempotency-key": "after-redis" }),
      (reply) => reply.status === 200,
      60_000
    )
    expect(refund.data.refund_request.status).toBe("succeeded")
    expect(await books(order_id, payment_id)).toMatchObject({ ledger: 20, medusa: 20, order_refunded: 20, stripe: 20 })

    const bank = seed.bankOrders[0]
    const receipt = await call(serverB, "POST", `/admin/payment-desk/orders/${bank.order_id}/payments`, { amount: 210, method: "bank-transfer" })
    expect(receipt.status).toBe(200)
    const close = await call(serverA, "POST", `/admin/payment-desk/orders/${bank.order_id}/close`, { reason: "out_of_stock" })
    expect(close.status).toBe(200)
    expect(close.data.order_closure.refunded_amount).toBe(210)
    // The worker hears the closure over the restarted Redis and counts it once.
    const counted = await until(
      "out_of_stock counted",
      async () => (await call(serverB, "GET", "/admin/payment-desk/counters?scope=global&name=closed_reason.out_of_stock")).data.counters,
      (rows: { value: number }[]) => rows[0]?.value === 1,
      60_000
    )
    expect(counted[0].value).toBe(1)
    const timeouts = (await call(serverB, "GET", "/admin/payment-desk/counters?scope=global&name=payment_timeouts")).data.counters
    expect(timeouts[0].value).toBe(seed.overdueOrders.length + seed.fleetOrders.length)
  })
})
