import { z } from "@medusajs/framework/zod"
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools"
import { CLOSE_REASONS, CUSTOMER_CLOSE_REASONS } from "../../../modules/payment-desk/models/order-closure"
import { CANCELLATION_REQUEST_STATUSES } from "../../../modules/payment-desk/models/cancellation-request"
import { AWAITING_PAYMENT_ORDERS } from "../../../utils/orders/awaiting-payment"
import { AWAITING_KEYSET_ORDERS, decodeAwaitingCursor } from "../../../utils/orders/awaiting-payment-cursor"
import { CLOSURE_ORDERS } from "../../../utils/closures/list-closures"
import { ACTOR_TYPES, AUDIT_SOURCES } from "../../../modules/payment-desk/models/audit-entry"
import { lineField, textField } from "../../utils/text-fields"
import { SEPA_NAME_MAX, sepaName } from "../../../utils/refunds/sepa-name"
import { SERVER_LANGUAGES } from "../../../utils/i18n/server-text"
import { decodeAuditCursor } from "../../../utils/audit/audit-cursor"
import { decodeRefundCursor } from "../../../utils/refunds/refund-cursor"
import { CLOSURE_KEYSET_ORDERS, decodeClosureCursor } from "../../../utils/closures/closure-cursor"

/** `POST /admin/payment-desk/orders/:id/payments` */
export const AdminRecordPayment = z
  .object({
    // Sign, precision and the outstanding amount depend on the order: the
    // workflow checks them and names the field in its message.
    amount: z.number(),
    method: lineField("method"),
    reference: lineField("reference").nullish(),
    received_at: z.iso
      .datetime({ offset: true, error: "received_at: must be an ISO 8601 date-time such as 2026-11-20T09:00:00Z" })
      .nullish(),
    note: textField("note").nullish(),
  })
  .strict()
export type AdminRecordPaymentType = z.infer<typeof AdminRecordPayment>

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/** A bound of `created_at`: a date-time with offset, or a date (UTC; a `to` date includes that whole day). */
const createdAtBound = (field: string, end: boolean) =>
  z
    .string()
    .refine((value) => (DATE_ONLY.test(value) || DATE_TIME.test(value)) && !Number.isNaN(Date.parse(value)), {
      error: `${field}: must be a date (2026-11-20) or an ISO 8601 date-time such as 2026-11-20T09:00:00Z`,
    })
    .transform((value) =>
      DATE_ONLY.test(value) && end ? new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000 - 1) : new Date(value)
    )

/** The audit filters shared by the list and its CSV export. */
const auditFilters = {
  created_at_from: createdAtBound("created_at_from", false).optional(),
  created_at_to: createdAtBound("created_at_to", true).optional(),
  /** One action, several (`action=a&action=b`) or a comma-separated list. */
  action: z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean)
    )
    .optional(),
  actor_id: lineField("actor_id").min(1).optional(),
  actor_type: z.enum(ACTOR_TYPES, { error: `actor_type: must be one of ${ACTOR_TYPES.join(", ")}` }).optional(),
  order_id: lineField("order_id").min(1).optional(),
  method: lineField("method").min(1).optional(),
  source: z.enum(AUDIT_SOURCES, { error: `source: must be one of ${AUDIT_SOURCES.join(", ")}` }).optional(),
  /** An order's display id (`1042` or `#1042`) or part of a reference. */
  q: lineField("q", 200).trim().min(1).optional(),
}

const fromBeforeTo = (value: { created_at_from?: Date; created_at_to?: Date }) =>
  !value.created_at_from || !value.created_at_to || value.created_at_from <= value.created_at_to
const fromBeforeToError = { error: "created_at_to: must not be before created_at_from", path: ["created_at_to"] }

/** A keyset cursor a list gave (`decode` tells it from anything else), as `field` of a query. */
export const keysetCursor = <T>(field: string, decode: (text: string) => T | null) =>
  z.string().transform((text, ctx) => {
    const cursor = decode(text)
    if (!cursor) {
      ctx.addIssue({ code: "custom", message: `${field}: is not a cursor this list gave (pass cursors.first or cursors.last back unchanged)` })
      return z.NEVER
    }
    return cursor
  })
const awaitingCursor = (field: string) => keysetCursor(field, decodeAwaitingCursor)
const auditCursor = (field: string) => keysetCursor(field, decodeAuditCursor)
const refundCursor = (field: string) => keysetCursor(field, decodeRefundCursor)
const closureCursor = (field: string) => keysetCursor(field, decodeClosureCursor)

type KeysetQuery = { offset: number; after?: unknown; before?: unknown; page?: "last" }
/** At most one of `after`, `before` and `page`. */
export const oneKeyset: [(query: KeysetQuery) => boolean, { error: string; path: string[] }] = [
  (query) => [query.after, query.before, query.page].filter((given) => given !== undefined).length <= 1,
  { error: "after: give at most one of after, before and page", path: ["after"] },
]
/** No `offset` beside a keyset page. */
export const offsetOrKeyset: [(query: KeysetQuery) => boolean, { error: string; path: string[] }] = [
  (query) => query.offset === 0 || (query.after === undefined && query.before === undefined && query.page === undefined),
  { error: "offset: cannot be combined with after, before or page", path: ["offset"] },
]

/**
 * Keyset pages only in `sorts` (an index holds them; `fallback` when no
 * `order` is given): in the others, named by `others`, the list pages by offset.
 */
export const keysetOnlyIn = (
  sorts: readonly string[],
  fallback: string,
  others: string
): [(query: KeysetQuery & { order?: string }) => boolean, { error: string; path: string[] }] => [
  (query) => sorts.includes(query.order ?? fallback) || (query.after === undefined && query.before === undefined && query.page === undefined),
  { error: `page: sorted by ${others}, the list pages by offset only`, path: ["page"] },
]

/** A keyset query's `page=last` as the `last` flag the lists take. */
export function keysetQuery<T extends { page?: "last" }>({ page, ...rest }: T): Omit<T, "page"> & { last: boolean } {
  return { ...rest, last: page === "last" }
}

/**
 * `GET /admin/payment-desk/audit`: the filters and a page, by `offset` or by
 * keyset: `after` (the entries older than a cursor), `before` (newer than
 * one) or `page=last` (the oldest), at most one of them, without `offset`.
 */
export const AdminListAudit = z
  .object({
    ...auditFilters,
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
    after: auditCursor("after").optional(),
    before: auditCursor("before").optional(),
    page: z.enum(["last"]).optional(),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToError)
  .refine(...oneKeyset)
  .refine(...offsetOrKeyset)
export type AdminListAuditType = z.infer<typeof AdminListAudit>

/**
 * `GET /admin/payment-desk/audit/export`: the list's filters, and `format`:
 * `raw` (default; field names, ids and codes, for programs) or `readable`
 * (words, order numbers, names and amounts as people read them, in `language`).
 */
export const AdminExportAudit = z
  .object({
    ...auditFilters,
    format: z.enum(["raw", "readable"]).default("raw"),
    language: z.enum(SERVER_LANGUAGES).default("en"),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToError)
export type AdminExportAuditType = z.infer<typeof AdminExportAudit>

/** The audit filters as given (list or export). */
export type AuditFilterQuery = AdminExportAuditType

/** `GET /admin/payment-desk/settings` */
export const AdminGetSettings = z.object({}).strict()

/**
 * A payee account: the holder's name (as typed, umlauts and accents
 * included: the SEPA export transliterates it, `Jürgen Groß` → `Juergen
 * Gross`; at most 70 characters, no control characters), an IBAN with valid
 * check digits, an optional BIC; each error names its field (`prefix` +
 * `name`, `iban`, `bic`).
 */
export const payoutAccount = (prefix = "") =>
  z
    .object({
      name: lineField(`${prefix}name`, 200)
        .transform((value) => value.replace(/\s+/g, " ").trim())
        .refine((value) => value.length > 0, { message: `${prefix}name: the account holder's name is required` })
        .refine((value) => value.length <= SEPA_NAME_MAX, { message: `${prefix}name: at most ${SEPA_NAME_MAX} characters (SEPA)` })
        .refine((value) => value === "" || sepaName(value).name !== null, {
          message: `${prefix}name: needs letters or digits a SEPA file can carry (Latin letters; accents and umlauts are transliterated)`,
        }),
      iban: z
        .string({ error: `${prefix}iban: is required` })
        .transform((value) => electronicFormatIBAN(value) ?? value)
        .refine((value) => isValidIBAN(value), { message: `${prefix}iban: is not a valid IBAN` }),
      bic: z
        .string()
        .transform((value) => value.replace(/\s+/g, "").toUpperCase())
        .refine((value) => value === "" || isValidBIC(value), { message: `${prefix}bic: is not a valid BIC` })
        .transform((value) => value || null)
        .nullish(),
    })
    .strict()

/** `POST /admin/payment-desk/refunds/:id/payout-account` */
export const AdminSetRefundPayoutAccount = payoutAccount()
export type AdminSetRefundPayoutAccountType = z.infer<typeof AdminSetRefundPayoutAccount>

/** `POST /admin/payment-desk/orders/:id/refunds` */
export const AdminIssueRefund = z
  .object({
    // Sign, precision and the refundable amount are checked by the workflow.
    amount: z.number(),
    payment_id: lineField("payment_id").nullish(),
    refund_reason_id: lineField("refund_reason_id").nullish(),
    note: textField("note").nullish(),
    notify_customer: z.boolean().optional(),
    /** Where a manual refund is paid out (SEPA file); by default the payer's account from the bank statement. */
    payout_account: payoutAccount("payout_account.").nullish(),
  })
  .strict()
export type AdminIssueRefundType = z.infer<typeof AdminIssueRefund>

/** `POST /admin/payment-desk/refunds/:id/retry` */
export const AdminRetryRefund = z.object({}).strict()

/** `POST /admin/payment-desk/refunds/:id/payout` */
export const AdminRecordRefundPayout = z
  .object({
    reference: lineField("reference").min(1, "reference: is required"),
    paid_at: z.iso
      .datetime({ offset: true, error: "paid_at: must be an ISO 8601 date-time such as 2026-11-20T09:00:00Z" })
      .nullish(),
    note: textField("note").nullish(),
  })
  .strict()
export type AdminRecordRefundPayoutType = z.infer<typeof AdminRecordRefundPayout>

/**
 * `GET /admin/payment-desk/refunds`: status and order filters and a page, by
 * `offset` or by keyset: `after` (the rows older than a cursor), `before`
 * (newer than one) or `page=last` (the oldest), at most one of them, without `offset`.
 */
export const AdminListRefunds = z
  .object({
    status: z
      .union([
        z.enum(["pending", "succeeded", "failed", "requires_action", "awaiting_payout", "canceled"]),
        z.array(z.enum(["pending", "succeeded", "failed", "requires_action", "awaiting_payout", "canceled"])),
      ])
      .optional(),
    order_id: lineField("order_id").optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
    after: refundCursor("after").optional(),
    before: refundCursor("before").optional(),
    page: z.enum(["last"]).optional(),
  })
  .strict()
  .refine(...oneKeyset)
  .refine(...offsetOrKeyset)
export type AdminListRefundsType = z.infer<typeof AdminListRefunds>

const closeReason = z.enum(CLOSE_REASONS)

/** `POST /admin/payment-desk/orders/:id/close` */
export const AdminCloseOrder = z
  .object({
    reason: closeReason,
    note: textField("note").nullish(),
    notify_customer: z.boolean().optional(),
    /** Where the close's manual refunds are paid out (SEPA file); by default the payer's account from the bank statement. */
    payout_account: payoutAccount("payout_account.").nullish(),
  })
  .strict()
export type AdminCloseOrderType = z.infer<typeof AdminCloseOrder>

/** `POST /store/payment-desk/orders/:id/close` */
export const StoreCloseOrder = z
  .object({
    /** Customers give only their own reasons; `payment_timeout` and `fraud_suspected` are the store's. */
    reason: z.enum(CUSTOMER_CLOSE_REASONS).optional(),
    note: textField("note").nullish(),
  })
  .strict()
export type StoreCloseOrderType = z.infer<typeof StoreCloseOrder>

/** `GET /store/payment-desk/payment-methods`: the region whose methods the checkout offers. */
export const StoreListPaymentMethods = z
  .object({
    region_id: lineField("region_id", 100).min(1, "region_id: is required"),
  })
  .strict()
export type StoreListPaymentMethodsType = z.infer<typeof StoreListPaymentMethods>

/** `GET /admin/payment-desk/counters` */
export const AdminListCounters = z
  .object({
    scope: lineField("scope").optional(),
    name: lineField("name").optional(),
    /** Days of `series` (today included); default 30. */
    days: z.coerce.number({ error: "days: must be a whole number of days" }).int().min(1).max(366).default(30),
    limit: z.coerce.number().int().min(1).max(500).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminListCountersType = z.infer<typeof AdminListCounters>

const booleanFlag = (field: string) =>
  z.enum(["true", "false"], { error: `${field}: must be true or false` }).transform((value) => value === "true")

/** `GET /admin/payment-desk/awaiting-payment` */
export const AdminListAwaitingPayment = z
  .object({
    q: lineField("q", 200).optional(),
    method: lineField("method", 100).optional(),
    overdue: booleanFlag("overdue").optional(),
    order: z.enum(AWAITING_PAYMENT_ORDERS, { error: `order: must be one of ${AWAITING_PAYMENT_ORDERS.join(", ")}` }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    offset: z.coerce.number().int().min(0).default(0),
    after: awaitingCursor("after").optional(),
    before: awaitingCursor("before").optional(),
    page: z.enum(["last"]).optional(),
  })
  .strict()
  .refine(...oneKeyset)
  .refine(...offsetOrKeyset)
  .refine(...keysetOnlyIn(AWAITING_KEYSET_ORDERS, "pay_by", "amount due"))
  .refine((query) => [query.after, query.before].every((cursor) => !cursor || cursor.order === (query.order ?? "pay_by")), {
    error: "after: the cursor belongs to another sort of the list (pass the same order as the page it came from)",
    path: ["after"],
  })
export type AdminListAwaitingPaymentType = z.infer<typeof AdminListAwaitingPayment>

const dateTime = (field: string) =>
  z.iso.datetime({ offset: true, error: `${field}: must be an ISO 8601 date-time such as 2026-11-20T09:00:00Z` }).transform((v) => new Date(v))

/**
 * `GET /admin/payment-desk/closures`: search, filters, sort and a page, by
 * `offset` or (sorted by close time) by keyset: `after` or `before` a
 * cursor, or `page=last`, at most one of them, without `offset`.
 */
export const AdminListClosures = z
  .object({
    q: lineField("q", 200).optional(),
    reason: closeReason.optional(),
    actor_type: z.enum(ACTOR_TYPES).optional(),
    method: lineField("method", 100).optional(),
    created_at_from: dateTime("created_at_from").optional(),
    created_at_to: dateTime("created_at_to").optional(),
    order: z.enum(CLOSURE_ORDERS, { error: `order: must be one of ${CLOSURE_ORDERS.join(", ")}` }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    offset: z.coerce.number().int().min(0).default(0),
    after: closureCursor("after").optional(),
    before: closureCursor("before").optional(),
    page: z.enum(["last"]).optional(),
  })
  .strict()
  .refine(...oneKeyset)
  .refine(...offsetOrKeyset)
  .refine(...keysetOnlyIn(CLOSURE_KEYSET_ORDERS, "-created_at", "refunded amount or order number"))
export type AdminListClosuresType = z.infer<typeof AdminListClosures>

/** `GET /admin/payment-desk/cancellation-requests` */
export const AdminListCancellationRequests = z
  .object({
    status: z.enum(CANCELLATION_REQUEST_STATUSES).optional(),
    order_id: lineField("order_id").optional(),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminListCancellationRequestsType = z.infer<typeof AdminListCancellationRequests>

/** `POST /admin/payment-desk/cancellation-requests/:id/approve` */
export const AdminApproveCancellationRequest = z
  .object({
    message: textField("message").nullish(),
  })
  .strict()
export type AdminApproveCancellationRequestType = z.infer<typeof AdminApproveCancellationRequest>

/** `POST /admin/payment-desk/cancellation-requests/:id/decline` */
export const AdminDeclineCancellationRequest = z
  .object({
    message: textField("message").min(1, "message: must not be empty"),
  })
  .strict()
export type AdminDeclineCancellationRequestType = z.infer<typeof AdminDeclineCancellationRequest>
