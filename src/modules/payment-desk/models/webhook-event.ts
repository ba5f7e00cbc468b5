import { model } from "@medusajs/framework/utils"

/** A provider webhook event already handled; delivery is at least once. */
const WebhookEvent = model
  .define("payment_desk_webhook_event", {
    id: model.id({ prefix: "pdwh" }).primaryKey(),
    provider: model.text(),
    event_id: model.text(),
    type: model.text(),
  })
  .indexes([{ on: ["provider", "event_id"], unique: true }])

export default WebhookEvent
