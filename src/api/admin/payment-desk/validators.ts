import { z } from "@medusajs/framework/zod"
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools"
import { CLOSE_REASONS, CUSTOMER_CLOSE_REASONS } from "../../../modules/payment-desk/models/order-closure"

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

/** `POST /admin/payment-desk/orders/:id/refunds` */
export const AdminIssueRefund = z
  .object({
    // Sign, precision and the refundable amount are checked by the workflow.
    amount: z.number(),
    payment_id: z.string().nullish(),
    refund_reason_id: z.string().nullish(),
    note: z.string().max(2000).nullish(),
    notify_customer: z.boolean().optional(),
    /** Where a manual refund is paid out (SEPA file); by default the payer's account from the bank statement. */
    payout_account: z
      .object({
        name: z.string().trim().min(1, "payout_account.name: the account holder's name is required").max(70),
        iban: z
          .string()
          .transform((value) => electronicFormatIBAN(value) ?? value)
          .refine((value) => isValidIBAN(value), { message: "payout_account.iban: is not a valid IBAN" }),
        bic: z
          .string()
          .transform((value) => value.replace(/\s+/g, "").toUpperCase())
          .refine((value) => isValidBIC(value), { message: "payout_account.bic: is not a valid BIC" })
          .nullish(),
      })
      .strict()
      .nullish(),
  })
  .strict()
export type AdminIssueRefundType = z.infer<typeof AdminIssueRefund>

/** `POST /admin/payment-desk/refunds/:id/retry` */
export const AdminRetryRefund = z.object({}).strict()

/** `POST /admin/payment-desk/refunds/:id/payout` */
export const AdminRecordRefundPayout = z
  .object({
    reference: z.string().min(1).max(255),
    paid_at: z.iso
      .datetime({ offset: true, error: "paid_at: must be an ISO 8601 date-time such as 2026-11-20T09:00:00Z" })
      .nullish(),
    note: z.string().max(2000).nullish(),
  })
  .strict()
export type AdminRecordRefundPayoutType = z.infer<typeof AdminRecordRefundPayout>

/** `GET /admin/payment-desk/refunds` */
export const AdminListRefunds = z
  .object({
    status: z
      .union([
        z.enum(["pending", "succeeded", "failed", "requires_action", "awaiting_payout", "canceled"]),
        z.array(z.enum(["pending", "succeeded", "failed", "requires_action", "awaiting_payout", "canceled"])),
      ])
      .optional(),
    order_id: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminListRefundsType = z.infer<typeof AdminListRefunds>

const closeReason = z.enum(CLOSE_REASONS)

/** `POST /admin/payment-desk/orders/:id/close` */
export const AdminCloseOrder = z
  .object({
    reason: closeReason,
    note: z.string().max(2000).nullish(),
    notify_customer: z.boolean().optional(),
  })
  .strict()
export type AdminCloseOrderType = z.infer<typeof AdminCloseOrder>

/** `POST /store/payment-desk/orders/:id/close` */
export const StoreCloseOrder = z
  .object({
    /** Customers give only their own reasons; `payment_timeout` and `fraud_suspected` are the store's. */
    reason: z.enum(CUSTOMER_CLOSE_REASONS).optional(),
    note: z.string().max(2000).nullish(),
  })
  .strict()
export type StoreCloseOrderType = z.infer<typeof StoreCloseOrder>

/** `GET /admin/payment-desk/counters` */
export const AdminListCounters = z
  .object({
    scope: z.string().optional(),
    name: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminListCountersType = z.infer<typeof AdminListCounters>
