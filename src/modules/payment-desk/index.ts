import { Module } from "@medusajs/framework/utils"
import PaymentDeskModuleService from "./service"
import warnMissingEmailProvider from "./loaders/warn-missing-email-provider"

/** The module key under which the payment desk's service is registered. */
export const PAYMENT_DESK_MODULE = "payment_desk"

/** The payment desk module: its service and the loader that warns when no email provider is configured. */
export default Module(PAYMENT_DESK_MODULE, {
  service: PaymentDeskModuleService,
  loaders: [warnMissingEmailProvider],
})

export * from "./options"
export * from "./notification-providers"
export type { IdempotencyClaim } from "./service"
export { PaymentDeskModuleService }
export * from "./rbac"
