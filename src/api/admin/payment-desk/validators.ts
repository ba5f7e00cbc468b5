import { z } from "@medusajs/framework/zod"

/** `POST /admin/payment-desk/orders/:id/payments` */
export const AdminRecordPayment = z
  .object({
    // Sign, precision and the outstanding amount depend on the order: the
    // workflow checks them and names the field in its message.
    amount: z.number(),
    method: z.string(),
    reference: z.string().max(255).nullish(),
    received_at: z.iso
      .datetime({ offset: true, error: "received_at: must be an ISO 8601 date-time such as 2026-11-20T09:00:00Z" })
      .nullish(),
    note: z.string().max(2000).nullish(),
  })
  .strict()
export type AdminRecordPaymentType = z.infer<typeof AdminRecordPayment>

/** `GET /admin/payment-desk/audit` */
export const AdminListAudit = z
  .object({
    order_id: z.string().optional(),
    action: z.string().optional(),
    actor_id: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminListAuditType = z.infer<typeof AdminListAudit>
