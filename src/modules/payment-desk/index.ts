import { Module } from "@medusajs/framework/utils"
import PaymentDeskModuleService from "./service"

/** The module key under which the payment desk's service is registered. */
export const PAYMENT_DESK_MODULE = "payment_desk"

export default Module(PAYMENT_DESK_MODULE, {
  service: PaymentDeskModuleService,
})

export * from "./options"
export type { IdempotencyClaim } from "./service"
export { PaymentDeskModuleService }
