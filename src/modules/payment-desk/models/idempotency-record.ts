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
  })
  .indexes([
    { on: ["scope", "key"], unique: true },
    { on: ["expires_at"] },
  ])

export default IdempotencyRecord
