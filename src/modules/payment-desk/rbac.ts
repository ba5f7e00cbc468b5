import type { Permission } from "./options"

/** The Medusa RBAC resource and operation of each money action the plugin gates. */
export const RBAC_POLICIES: Record<Permission, { resource: string; operation: string }> = {
  record_payment: { resource: "payment_desk_payment", operation: "record" },
  refund: { resource: "payment_desk_refund", operation: "create" },
  close_order: { resource: "payment_desk_order", operation: "close" },
}
