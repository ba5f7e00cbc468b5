import { model } from "@medusajs/framework/utils"

/** A side effect of a closure already done (notification, counters): once per closure. */
const ClosureEffect = model
  .define("payment_desk_closure_effect", {
    id: model.id({ prefix: "pdeff" }).primaryKey(),
    order_closure_id: model.text(),
    effect: model.text(),
  })
  .indexes([{ on: ["order_closure_id", "effect"], unique: true }])

export default ClosureEffect
