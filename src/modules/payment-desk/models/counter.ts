import { model } from "@medusajs/framework/utils"

/** A named counter within a scope (`global`, `customer:<id>`, `sales_channel:<id>`). */
const Counter = model
  .define("payment_desk_counter", {
    id: model.id({ prefix: "pdcnt" }).primaryKey(),
    scope: model.text(),
    name: model.text(),
    value: model.number().default(0),
  })
  .indexes([{ on: ["scope", "name"], unique: true }])

export default Counter
