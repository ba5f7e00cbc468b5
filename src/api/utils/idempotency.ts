import type {
  AuthenticatedMedusaRequest,
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createHash } from "crypto"
import { setTimeout as sleep } from "timers/promises"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

/**
 * How long a duplicate waits for the first request with its key to answer
 * (then replays that answer) before it is told 409 "in progress": a double
 * click should not hold a connection for the whole run of the first.
 */
const WAIT_FOR_FIRST_MS = 40
const POLL_MS = 25

function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(",")}]`
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`
  }
  return JSON.stringify(value ?? null)
}

function conflict(res: MedusaResponse, message: string, retryAfterSeconds?: number) {
  if (retryAfterSeconds) {
    res.set("Retry-After", String(retryAfterSeconds))
  }
  res.status(409).json({ type: "conflict", message })
}

/**
 * Requests with a key that this process is running now: a duplicate in the
 * same process waits on the promise instead of polling the database (other
 * instances still see the stored record and poll it).
 */
type Answer = { status: number; body: unknown; hash: string } | null
const inFlight = new Map<string, Promise<Answer>>()

/** Answers worth replaying: successes and deterministic refusals, not conflicts or server faults. */
const replayable = (status: number) => status < 500 && status !== 409 && status !== 429

/** An answer rebuilt from what an earlier request with the key left behind (its ledger row, receipt, closure). */
export type IdempotentAnswer = { status: number; body: unknown }

/**
 * Finds what an earlier request with this key did, for a key whose request
 * died or ended in a server error: the route's answer as it would be now,
 * or null when that request left nothing (it moved no money) and may run.
 */
export type IdempotencyResolver = (req: AuthenticatedMedusaRequest, key: string) => Promise<IdempotentAnswer | null>

/** The hash a request body is bound to its Idempotency-Key by (keys order-independent). */
export function requestHash(body: unknown): string {
  return createHash("sha256").update(canonical(body ?? {})).digest("hex")
}

/** The scope of an Idempotency-Key: method, route and caller. */
export function idempotencyScope(req: MedusaRequest): string {
  const auth = (req as AuthenticatedMedusaRequest).auth_context
  const route = req.originalUrl.split("?")[0]
  return `${req.method} ${route} ${auth?.actor_type ?? "anonymous"}:${auth?.actor_id ?? ""}`
}

/** The request's Idempotency-Key bound to its scope, as ledger rows store it; null without a key. */
export function scopedRequestKey(req: MedusaRequest): string | null {
  const key = req.get("idempotency-key")
  return key ? `${idempotencyScope(req)}|${key}` : null
}

/**
 * Honours an `Idempotency-Key` header on a POST: the first request with a key
 * runs and its answer is stored; a retry with the same key and body gets that
 * answer again (header `Idempotent-Replayed: true`) without a second effect;
 * the same key with another body is refused with 409; a duplicate that
 * arrives while the first still runs waits briefly for its answer, then gets
 * 409 "in progress" (Retry-After: 1); it never runs twice, across instances
 * too (the key's record is unique in the database). Keys are scoped to the
 * route and the caller.
 *
 * A request that may have moved money never frees its key: after a server
 * error, or once the lease of a request that died has run out, the next
 * request with the key is answered by `resolve` from what the first left
 * behind (its ledger row's current state, its receipt, the closure), and
 * runs only when it left nothing.
 */
export function idempotency(options: { resolve?: IdempotencyResolver } = {}) {
  return async (request: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    const req = request as AuthenticatedMedusaRequest
    const key = req.get("idempotency-key")
    if (key === undefined) {
      return next()
    }
    if (!key.trim() || key.length > 255) {
      res.status(400).json({
        type: "invalid_data",
        message: "Idempotency-Key: must be between 1 and 255 characters",
      })
      return
    }
    const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
    const scope = idempotencyScope(req)
    const bodyHash = requestHash(req.body)

    const deadline = Date.now() + WAIT_FOR_FIRST_MS
    const flightKey = `${scope}|${key}`
    for (;;) {
      const running = inFlight.get(flightKey)
      if (running) {
        const answer = await Promise.race([running, sleep(Math.max(0, deadline - Date.now())).then(() => undefined)])
        // The first request's answer, handed over in memory: no database read.
        if (answer && answer.hash === bodyHash) {
          res.set("Idempotent-Replayed", "true")
          res.status(answer.status).json(answer.body)
          return
        }
        if (answer) {
          return conflict(res, `Idempotency-Key "${key}" was already used on this route with a different request body`)
        }
        if (inFlight.get(flightKey) === running && Date.now() < deadline) {
          continue
        }
      }
      // Lead for this key in this process before touching the database, so
      // simultaneous duplicates wait here instead of racing for the claim.
      let finish: (answer: Answer) => void = () => {}
      const leading = new Promise<Answer>((resolve) => (finish = resolve))
      inFlight.set(flightKey, leading)
      const done = (answer: Answer = null) => {
        if (inFlight.get(flightKey) === leading) {
          inFlight.delete(flightKey)
        }
        finish(answer)
      }
      let claim: Awaited<ReturnType<typeof desk.claimIdempotencyKey>>
      try {
        claim = await desk.claimIdempotencyKey({ scope, key, request_hash: bodyHash })
      } catch (error) {
        done()
        return next(error)
      }
      if (claim.state !== "claimed" && claim.state !== "orphaned") {
        done()
      }
      if (claim.state === "mismatch") {
        return conflict(
          res,
          `Idempotency-Key "${key}" was already used on this route with a different request body`
        )
      }
      if (claim.state === "replay") {
        res.set("Idempotent-Replayed", "true")
        res.status(claim.status).json(claim.body)
        return
      }
      if (claim.state === "orphaned") {
        let found: IdempotentAnswer | null
        try {
          found = options.resolve ? await options.resolve(req, key) : null
        } catch (error) {
          await desk.endIdempotencyLease(claim.record_id).catch(() => {})
          done()
          return next(error)
        }
        if (found) {
          await desk.completeIdempotencyKey(claim.record_id, found.status, found.body)
          done({ ...found, hash: bodyHash })
          res.set("Idempotent-Replayed", "true")
          res.status(found.status).json(found.body)
          return
        }
      }
      if (claim.state === "claimed" || claim.state === "orphaned") {
        const recordId = claim.record_id
        const send = res.json.bind(res)
        res.json = (body: unknown) => {
          const status = res.statusCode
          // A server error may have come after money moved: keep the key
          // (its lease ends now) for the next request to resolve.
          const settle = replayable(status)
            ? desk.completeIdempotencyKey(recordId, status, body)
            : status >= 500
              ? desk.endIdempotencyLease(recordId)
              : desk.releaseIdempotencyKey(recordId)
          settle
            .catch((error: Error) =>
              logger.error(`Could not settle Idempotency-Key "${key}": ${error.message}`)
            )
            .finally(() => {
              done(replayable(status) ? { status, body, hash: bodyHash } : null)
              send(body)
            })
          return res
        }
        return next()
      }
      if (Date.now() >= deadline) {
        return conflict(
          res,
          `A request with Idempotency-Key "${key}" is still in progress; retry once it has finished`,
          1
        )
      }
      await sleep(POLL_MS)
    }
  }
}
