import { definePolicies } from "@medusajs/framework/utils"
import { RBAC_POLICIES } from "../modules/payment-desk/rbac"

/**
 * The payment desk's money actions as Medusa RBAC policies: synced to the
 * RBAC module at start (they appear in the admin's roles UI) and checked by
 * the money routes when Medusa's RBAC is on (`MEDUSA_FF_RBAC`).
 */
export const paymentDeskPolicies = definePolicies([
  { name: "PaymentDeskRecordPayment", ...RBAC_POLICIES.record_payment, description: "Record payments received on orders (payment desk)" },
  { name: "PaymentDeskCreateRefund", ...RBAC_POLICIES.refund, description: "Issue, retry and pay out refunds (payment desk)" },
  { name: "PaymentDeskCloseOrder", ...RBAC_POLICIES.close_order, description: "Close orders early (payment desk)" },
])
