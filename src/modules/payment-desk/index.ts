import { Module } from "@medusajs/framework/utils"
import PaymentDeskModuleService from "./service"
import warnMissingEmailProvider from "./loaders/warn-missing-email-provider"
import awaitingPaymentReadModel from "./loaders/awaiting-payment-read-model"

/** The module key under which the payment desk's service is registered. */
export const PAYMENT_DESK_MODULE = "payment_desk"

/** The payment desk module: its service, the loader that warns when no email provider is configured and the one that installs the awaiting-payment read model. */
export default Module(PAYMENT_DESK_MODULE, {
  service: PaymentDeskModuleService,
  loaders: [warnMissingEmailProvider, awaitingPaymentReadModel],
})

export * from "./options"
export * from "./notification-providers"
export type { IdempotencyClaim } from "./service"
export { PaymentDeskModuleService }
export * from "./rbac"
