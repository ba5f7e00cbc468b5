// The jobs' hand-out (src/utils/jobs/fan-out.ts) on Medusa's real Redis event
// bus and BullMQ, with a redis-server of the test's own: a batch whose job
// failed must not swallow a later hand-out of the same ids. Medusa's event bus
// keeps failed jobs unless told otherwise, and BullMQ ignores a job whose id is
// taken, so without `removeOnFail` the rows of such a batch were left to no
// worker (seen in a clean-clone run: one of 40 fleet orders never closed after
// a worker was killed and a loaded worker lost the batch's lock).
import type { MedusaContainer } from "@medusajs/framework/types"
import type { Queue as BullQueue, Worker as BullWorker } from "bullmq"
import type IORedis from "ioredis"

// Medusa's Redis event bus, and the BullMQ and ioredis it uses (its own dependencies, resolved from it).
const busPath = require.resolve("@medusajs/event-bus-redis/dist/services/event-bus-redis")
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RedisEventBusService = require(busPath).default
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Queue, Worker } = require(require.resolve("bullmq", { paths: [busPath] })) as { Queue: typeof BullQueue; Worker: typeof BullWorker }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Redis = require(require.resolve("ioredis", { paths: [busPath] })).default as typeof IORedis
import { handOutBatches } from "../../src/utils/jobs/fan-out"
import { freePort, RedisServer } from "../helpers/processes"

jest.setTimeout(60_000)

const EVENT = "payment_desk.spec_batch_found"
const QUEUE = "fan-out-spec"
// The queue's key prefix Medusa's event bus uses: its class name.
const PREFIX = "RedisEventBusService"

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, log: () => {} }

async function until(what: string, done: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe("handing batches out on Medusa's Redis event bus", () => {
  let redis: RedisServer
  const connections: IORedis[] = []
  const connect = () => {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null })
    connections.push(connection)
    return connection
  }

  beforeAll(async () => {
    redis = new RedisServer(await freePort())
    await redis.start()
  })

  afterAll(async () => {
    for (const connection of connections) connection.disconnect()
    await redis.stop()
  })

  it("hands out again the ids of a batch whose job failed, and a worker takes them", async () => {
    const batch = ["order_a", "order_b"]
    // A server instance: it emits, it does not work.
    const server = new RedisEventBusService(
      { logger: quiet, eventBusRedisConnection: connect(), eventBusRedisQueueName: QUEUE },
      {},
      { worker_mode: "server" }
    )
    server.subscribe(EVENT, async () => {})
    const container = { resolve: () => server } as unknown as MedusaContainer

    // The first hand-out's job fails on the worker that took it (as a job BullMQ gives
    // up on as stalled does): here a bare BullMQ worker on Medusa's queue throws.
    const failed: string[] = []
    const crashing = new Worker(
      QUEUE,
      async () => {
        throw new Error("the worker died in the batch")
      },
      { prefix: PREFIX, connection: connect() }
    )
    crashing.on("failed", (job) => job && failed.push(String(job.id)))
    expect(await handOutBatches(container, EVENT, [batch], (ids) => ({ order_ids: ids }), "payment-desk-spec")).toBe(1)
    await until("the first job failed", () => failed.length === 1)
    await crashing.close()
    const queue = new Queue(QUEUE, { prefix: PREFIX, connection: connect() })
    // Removed from the queue: nothing holds its id any more.
    expect(await queue.getJob(failed[0])).toBeUndefined()

    // The next run finds the same ids open and hands them out again, under the same job
    // id (so a batch still waiting is not queued twice): queued, and a worker takes it.
    expect(await handOutBatches(container, EVENT, [batch], (ids) => ({ order_ids: ids }), "payment-desk-spec")).toBe(1)
    // (Medusa's events carry a priority: BullMQ keeps them as "prioritized" until taken.)
    expect((await queue.getJobs(["waiting", "prioritized"])).map((job) => job.id)).toEqual([failed[0]])
    const taken: string[][] = []
    const worker = new RedisEventBusService(
      { logger: quiet, eventBusRedisConnection: connect(), eventBusRedisQueueName: QUEUE },
      {},
      { worker_mode: "worker" }
    )
    worker.subscribe(EVENT, async (event: { data: { order_ids: string[] } }) => {
      taken.push(event.data.order_ids)
    })
    await worker.__hooks.onApplicationStart()
    await until("a worker took the batch", () => taken.length === 1)
    expect(taken).toEqual([batch])
    await worker.__hooks.onApplicationPrepareShutdown()
    await queue.close()
  })
})
