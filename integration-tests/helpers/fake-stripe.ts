// A small Stripe API double on loopback for the tests: customers, payment
// intents, refunds, idempotency keys (the first answer is replayed), errors in
// Stripe's shape, and webhook events signed with the test secret. The real
// `stripe` SDK talks to it.
import http from "node:http"
import { AddressInfo } from "node:net"
import { createHash, randomBytes } from "node:crypto"
import qs from "qs"
import Stripe from "stripe"

export type RefundMode = "succeed" | "pending" | "decline" | "timeout_after_taking" | "error_500"

type Json = Record<string, any>

const id = (prefix: string) => `${prefix}_${randomBytes(8).toString("hex")}`

export class FakeStripe {
  private server?: http.Server
  port = 0
  refundMode: RefundMode = "succeed"
  /** How long "timeout_after_taking" holds the answer (longer than the client's timeout). */
  holdMs = 3_000
  intents = new Map<string, Json>()
  refunds = new Map<string, Json>()
  /** Refunds created (executions, not replays). */
  refundExecutions = 0
  /**
   * Opt-in: replay a stored idempotent answer as it was first sent (a copy),
   * as Stripe does, instead of the live object (whose status a test may have
   * changed since). Off by default.
   */
  replaySnapshots = false
  /** The Idempotency-Key each refund was created with (refund id → key). */
  refundKeys = new Map<string, string | undefined>()
  /** `GET /v1/refunds` requests answered, 429s included (reconciliation's cost). */
  refundListCalls = 0
  /** The payment intent of each `GET /v1/refunds`, in order. */
  refundListIntents: string[] = []
  /** Answer the next this-many `GET /v1/refunds` with 429 (`Retry-After: retryAfterSeconds`). */
  rateLimitNextLists = 0
  retryAfterSeconds = 0
  /** 429s sent. */
  rateLimited = 0
  private idempotency = new Map<string, { hash: string; status: number; body: Json }>()
  /** Decline the next this-many refunds (as `refundMode: "decline"` does), then go back to `refundMode`. */
  declineNextRefunds = 0
  /** Called after every answer: the demo saves the double's state with it. */
  onChange?: () => void
  readonly webhookSecret = "whsec_test_payment_desk"
  readonly apiKey = "sk_test_payment_desk"

  get url() {
    return `http://127.0.0.1:${this.port}`
  }

  async start(port = 0) {
    this.server = http.createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve))
    this.port = (this.server!.address() as AddressInfo).port
  }

  async stop() {
    // Keep-alive connections of the SDK (and held answers) would keep close() waiting.
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** Money refunded at "Stripe" for a payment intent (succeeded or pending refunds). */
  refundedFor(paymentIntent: string) {
    return [...this.refunds.values()]
      .filter((r) => r.payment_intent === paymentIntent && ["succeeded", "pending"].includes(r.status))
      .reduce((sum, r) => sum + r.amount, 0)
  }

  /** Money refunded at "Stripe" for a payment intent by refunds that succeeded (not pending, failed or canceled). */
  succeededFor(paymentIntent: string) {
    return [...this.refunds.values()]
      .filter((r) => r.payment_intent === paymentIntent && r.status === "succeeded")
      .reduce((sum, r) => sum + r.amount, 0)
  }

  /** The refunds of a payment intent, oldest first. */
  refundsFor(paymentIntent: string) {
    return [...this.refunds.values()].filter((r) => r.payment_intent === paymentIntent)
  }

  /**
   * What "Stripe" holds now (intents, refunds, idempotent answers, counters),
   * as a function that puts it back: for a spec that restores its database to
   * a snapshot, so that both sides start again from the same point.
   */
  snapshot(): () => void {
    const copy = <T>(value: T): T => structuredClone(value)
    const saved = {
      intents: copy(this.intents),
      refunds: copy(this.refunds),
      idempotency: copy(this.idempotency),
      refundKeys: copy(this.refundKeys),
      refundExecutions: this.refundExecutions,
      refundListCalls: this.refundListCalls,
      refundListIntents: [...this.refundListIntents],
      rateLimited: this.rateLimited,
    }
    return () => {
      this.intents = copy(saved.intents)
      this.refunds = copy(saved.refunds)
      this.idempotency = copy(saved.idempotency)
      this.refundKeys = copy(saved.refundKeys)
      this.refundExecutions = saved.refundExecutions
      this.refundListCalls = saved.refundListCalls
      this.refundListIntents = [...saved.refundListIntents]
      this.rateLimited = saved.rateLimited
      this.refundMode = "succeed"
      this.rateLimitNextLists = 0
    }
  }

  /** A webhook delivery: the body and its `Stripe-Signature` header. */
  signedEvent(type: string, object: Json, eventId = id("evt")) {
    const payload = JSON.stringify({ id: eventId, object: "event", type, data: { object }, created: Math.floor(Date.now() / 1000) })
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: this.webhookSecret })
    return { payload, header, eventId }
  }

  /** Everything the double holds, as JSON (the demo keeps it between runs). */
  exportState(): Json {
    return {
      intents: [...this.intents],
      refunds: [...this.refunds],
      idempotency: [...this.idempotency],
      refundKeys: [...this.refundKeys],
    }
  }

  /** Puts back what `exportState` gave. */
  importState(state: Json) {
    this.intents = new Map(state.intents ?? [])
    this.refunds = new Map(state.refunds ?? [])
    this.idempotency = new Map(state.idempotency ?? [])
    this.refundKeys = new Map(state.refundKeys ?? [])
  }

  private send(res: http.ServerResponse, status: number, body: Json, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", "request-id": id("req"), ...headers })
    res.end(JSON.stringify(body))
    this.onChange?.()
  }

  private error(status: number, type: string, code: string, message: string) {
    return { status, body: { error: { type, code, message } } }
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let raw = ""
    req.on("data", (chunk) => (raw += chunk))
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", this.url)
      const body = qs.parse(raw) as Json
      // The double's own control route (not Stripe's): what a demo seed asks of it.
      if (req.method === "POST" && url.pathname === "/_double/decline-next-refund") {
        this.declineNextRefunds++
        return this.send(res, 200, { decline_next_refunds: this.declineNextRefunds })
      }
      const key = req.headers["idempotency-key"] as string | undefined
      if (req.method === "POST" && key) {
        const scope = `${url.pathname}|${key}`
        const hash = createHash("sha256").update(raw).digest("hex")
        const seen = this.idempotency.get(scope)
        if (seen) {
          if (seen.hash !== hash) {
            return this.send(res, 400, this.error(400, "idempotency_error", "idempotency_key_in_use", "Keys for idempotent requests can only be used with the same parameters they were first used with.").body)
          }
          return this.send(res, seen.status, seen.body)
        }
        const executionsBefore = this.refundExecutions
        const answer = this.route(req.method, url, body)
        if (this.refundExecutions > executionsBefore && typeof answer.body.id === "string") {
          this.refundKeys.set(answer.body.id, key)
        }
        const stored = this.replaySnapshots ? (JSON.parse(JSON.stringify(answer.body)) as Json) : answer.body
        this.idempotency.set(scope, { hash, status: answer.status, body: stored })
        if (answer.hold) {
          await new Promise((resolve) => setTimeout(resolve, this.holdMs))
          if (res.destroyed) return
        }
        return this.send(res, answer.status, answer.body)
      }
      if (req.method === "GET" && url.pathname === "/v1/refunds") {
        this.refundListCalls++
        this.refundListIntents.push(url.searchParams.get("payment_intent") ?? "")
        if (this.rateLimitNextLists > 0) {
          this.rateLimitNextLists--
          this.rateLimited++
          const limited = this.error(429, "rate_limit_error", "rate_limit", "Too many requests hit the API too quickly.")
          return this.send(res, 429, limited.body, { "retry-after": String(this.retryAfterSeconds) })
        }
      }
      const answer = this.route(req.method ?? "GET", url, body)
      if (answer.hold) {
        await new Promise((resolve) => setTimeout(resolve, this.holdMs))
        if (res.destroyed) return
      }
      this.send(res, answer.status, answer.body)
    })
  }

  private route(method: string, url: URL, body: Json): { status: number; body: Json; hold?: boolean } {
    const parts = url.pathname.split("/").filter(Boolean) // ["v1", resource, id?, action?]
    const [, resource, resourceId, action] = parts
    if (resource === "customers" && method === "POST") {
      return { status: 200, body: { id: resourceId ?? id("cus"), object: "customer", email: body.email ?? null } }
    }
    if (resource === "payment_intents") {
      if (method === "POST" && !resourceId) {
        const intent = {
          id: id("pi"),
          object: "payment_intent",
          amount: Number(body.amount),
          amount_received: 0,
          currency: body.currency,
          capture_method: body.capture_method ?? "manual",
          status: "requires_capture",
          latest_charge: null,
          metadata: body.metadata ?? {},
          customer: body.customer ?? null,
        }
        this.intents.set(intent.id, intent)
        return { status: 200, body: intent }
      }
      const intent = this.intents.get(resourceId)
      if (!intent) {
        return this.error(404, "invalid_request_error", "resource_missing", `No such payment_intent: '${resourceId}'`)
      }
      if (method === "POST" && action === "capture") {
        Object.assign(intent, { status: "succeeded", amount_received: intent.amount, latest_charge: id("ch") })
      } else if (method === "POST" && action === "cancel") {
        intent.status = "canceled"
      } else if (method === "POST" && !action) {
        if (body.amount) intent.amount = Number(body.amount)
      }
      return { status: 200, body: intent }
    }
    if (resource === "refunds") {
      if (method === "GET" && resourceId) {
        const refund = this.refunds.get(resourceId)
        return refund ? { status: 200, body: refund } : this.error(404, "invalid_request_error", "resource_missing", `No such refund: '${resourceId}'`)
      }
      if (method === "GET") {
        const pi = url.searchParams.get("payment_intent")
        const all = [...this.refunds.values()].filter((r) => !pi || r.payment_intent === pi)
        // Pages as Stripe does: `limit` (default 10) after `starting_after`.
        const limit = Number(url.searchParams.get("limit") ?? 10)
        const after = url.searchParams.get("starting_after")
        const from = after ? all.findIndex((r) => r.id === after) + 1 : 0
        const data = all.slice(from, from + limit)
        return { status: 200, body: { object: "list", data, has_more: from + limit < all.length, url: "/v1/refunds" } }
      }
      if (method === "POST" && !resourceId) {
        return this.createRefund(body)
      }
    }
    return this.error(404, "invalid_request_error", "unknown_route", `Unrecognized request URL (${method}: ${url.pathname})`)
  }

  private createRefund(body: Json): { status: number; body: Json; hold?: boolean } {
    const intent = this.intents.get(body.payment_intent)
    if (!intent) {
      return this.error(404, "invalid_request_error", "resource_missing", `No such payment_intent: '${body.payment_intent}'`)
    }
    if (this.refundMode === "error_500") {
      return this.error(500, "api_error", "internal_error", "Stripe had a problem")
    }
    if (this.declineNextRefunds > 0 || this.refundMode === "decline") {
      this.declineNextRefunds = Math.max(0, this.declineNextRefunds - 1)
      return this.error(402, "card_error", "refund_declined", "The refund was declined by the card issuer")
    }
    const amount = Number(body.amount ?? intent.amount_received)
    const left = intent.amount_received - this.refundedFor(intent.id)
    if (amount > left) {
      return this.error(400, "invalid_request_error", "amount_too_large", `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`)
    }
    const refund = {
      id: id("re"),
      object: "refund",
      amount,
      currency: intent.currency,
      payment_intent: intent.id,
      charge: intent.latest_charge,
      status: this.refundMode === "pending" ? "pending" : "succeeded",
      failure_reason: null,
      metadata: body.metadata ?? {},
      created: Math.floor(Date.now() / 1000),
    }
    this.refunds.set(refund.id, refund)
    this.refundExecutions++
    return { status: 200, body: refund, hold: this.refundMode === "timeout_after_taking" }
  }
}
