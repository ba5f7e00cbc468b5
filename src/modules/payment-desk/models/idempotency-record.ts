import { model } from "@medusajs/framework/utils"

/**
 * The first answer to a POST that carried an `Idempotency-Key`, kept so a
 * retry with the same key gets the same answer without a second effect.
 * `scope` is the route and the caller; `key` is unique within it.
 */
const IdempotencyRecord = model
  .define("payment_desk_idempotency_record", {
    id: model.id({ prefix: "pdidem" }).primaryKey(),
    scope: model.text(),
    key: model.text(),
    request_hash: model.text(),
    state: model.enum(["in_progress", "completed"]).default("in_progress"),
    response_status: model.number().nullable(),
    response_body: model.json().nullable(),
    expires_at: model.dateTime(),
    /**
     * Until when an `in_progress` request is presumed alive; after it (the
     * process died, or the request ended in a server error) a retry resolves
     * the key from what the request left behind instead of running blind.
     */
    lease_expires_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["scope", "key"], unique: true },
    { on: ["expires_at"] },
  ])

export default IdempotencyRecord
