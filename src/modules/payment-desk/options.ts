import { MedusaError } from "@medusajs/framework/utils"
import type { CsvProfile } from "../../types/bank-statements"
import { CSV_PROFILE_NAME, validateCsvProfile } from "./csv-profile"
import { SERVER_LANGUAGES, type ServerLanguage } from "../../utils/i18n/server-text"

/** The money actions a permission can gate. */
export const PERMISSIONS = ["record_payment", "refund", "close_order"] as const
/** One of {@link PERMISSIONS}. */
export type Permission = (typeof PERMISSIONS)[number]

/**
 * What a customer's close of a paid order does: `unpaid_only` refuses it
 * (only unpaid orders may be closed by the customer), `request` files a
 * cancellation request an admin answers, `immediate` refunds and closes.
 */
export const STORE_CLOSE_POLICIES = ["unpaid_only", "request", "immediate"] as const
/** One of {@link STORE_CLOSE_POLICIES}. */
export type StoreClosePolicy = (typeof STORE_CLOSE_POLICIES)[number]

/** `"*"` (every admin) or the admin user ids and emails allowed. */
export type PermissionRule = "*" | string[]

/** Plugin options (`plugins: [{ resolve: "medusa-payment-desk", options }]`). */
export type PaymentDeskOptions = {
  /** Who may do each money action; every admin when absent. */
  permissions?: Partial<Record<Permission, PermissionRule>>
  /** Receipt methods accepted besides the manual payment methods; default `["cash", "cheque"]`. */
  receipt_methods?: string[]
  /** Hours an Idempotency-Key and its first answer are kept; default 24, at least 24. */
  idempotency_ttl_hours?: number
  /** Stripe account of `@medusajs/payment-stripe`: refunds, webhooks and reconciliation. */
  stripe?: {
    apiKey: string
    webhookSecret?: string
    /** e.g. `http://127.0.0.1:12111` for a proxy or a test double; default Stripe's API. */
    apiHost?: string
    /** Milliseconds before a Stripe call counts as timed out (its outcome is then unknown); default 20000. */
    timeoutMs?: number
  }
  /** Notifications the close subscriber sends (Medusa Notification Module). */
  notifications?: {
    /** Template of the customer's "order closed" email; default `payment-desk-order-closed`. */
    customerTemplate?: string
    /** Also post to the admin `feed` channel; default true. */
    adminFeed?: boolean
    /**
     * The language of what the plugin writes into Medusa's own records, which
     * Medusa shows as written: the admin bell's messages and the note on
     * Medusa's refund. `en` (default), `de` or `zh-CN`.
     */
    language?: ServerLanguage
  }
  /**
   * The order lock every money action takes. `ttl_seconds` (default 120): how
   * long a dead holder (a killed process) keeps it; keep it above the longest
   * money action (Stripe's timeout included). `wait_seconds` (default 5): how
   * long a second action on the same order waits before a 409.
   */
  order_lock?: { ttl_seconds?: number; wait_seconds?: number }
  /** The job that closes orders left unpaid past their payment window. */
  auto_close?: {
    /** Default true. */
    enabled?: boolean
    /** Overdue orders read per page (one query per page, keyset-paged); default 100. */
    batch_size?: number
    /** Orders closed at once within a page (each under its own order lock); default 4. */
    concurrency?: number
    /** Overdue orders one run looks at, at most; default 10000 (the next run goes on). */
    max_per_run?: number
    /** Close partly paid orders too (refunding what was paid); default false: they are flagged once. */
    close_partially_paid?: boolean
  }
  /** Bank statement import (`POST /admin/payment-desk/bank-statements`). */
  bank_statements?: {
    /** Record exact matches by themselves; default true (false: every line waits for review). */
    auto_record?: boolean
    /** Largest file accepted, in MB; default 10. */
    max_file_mb?: number
    /** Most lines (CSV rows, CAMT transactions, MT940 `:61:` lines) one file may hold; default 100000 (a larger file is refused with a 400: split it by date). */
    max_lines?: number
    /**
     * Lines to book (exact matches, payout debits) an upload books itself
     * before it answers; an import with more hands them to the workers in
     * `payment_desk.bank_lines_to_book_found` batches and answers at once; default 200.
     */
    inline_booking_limit?: number
    /** How each bank's CSV export is read, by profile name (the upload's `profile` field). */
    csv_profiles?: Record<string, CsvProfile>
  }
  // ---- emails (customer emails of the bank-transfer loop) ----
  /** Customer emails through the Notification Module's `email` channel: one template id each (see docs/emails.md). */
  emails?: EmailOptions
  // ---- end emails ----
  refunds?: {
    /** Attempts for refunds the system started before they need a human; default 5. */
    maxAttempts?: number
    /** Minutes a refund may stay pending before reconciliation asks the provider; default 10. */
    reconcileAfterMinutes?: number
    /** Minutes before the first automatic retry, doubled each time; default 5. */
    retryBackoffMinutes?: number
    /** Stripe calls (list pages and 429 retries) one reconciliation run may make; default 100. */
    reconcile_budget?: number
    /** Pending rows one reconciliation run reads, most overdue first; default 1000. */
    reconcile_batch?: number
  }

  // --- Customer cancellation policy (store close route) ---
  /**
   * What `POST /store/payment-desk/orders/:id/close` does on an order with
   * money paid: `unpaid_only` (default) refuses, `request` files a
   * cancellation request for an admin, `immediate` refunds and closes.
   * Unpaid orders are closed in every mode.
   */
  store_close?: StoreClosePolicy
}

// ---- emails ----
/** The customer emails the plugin sends, each with its own template id. */
export const EMAIL_TEMPLATE_FIELDS = [
  "instructions_template",
  "reminder_template",
  "payment_received_template",
  "fully_paid_template",
  "refund_requested_template",
  "refund_succeeded_template",
  "refund_failed_template",
] as const
/** One of {@link EMAIL_TEMPLATE_FIELDS}. */
export type EmailTemplateField = (typeof EMAIL_TEMPLATE_FIELDS)[number]

/** Option block `emails`: a template id per email and how early the payment reminder goes out. */
export type EmailOptions = Partial<Record<EmailTemplateField, string>> & {
  /** Hours before the pay-by date that the payment reminder is sent; default 24. */
  reminder_hours_before?: number
}

/** `emails` with every default filled in. */
export type ResolvedEmailOptions = Record<EmailTemplateField, string> & { reminder_hours_before: number }

/** Default template id of each email: `payment-desk-<name>`. */
export const DEFAULT_EMAIL_TEMPLATES: Record<EmailTemplateField, string> = {
  instructions_template: "payment-desk-payment-instructions",
  reminder_template: "payment-desk-payment-reminder",
  payment_received_template: "payment-desk-payment-received",
  fully_paid_template: "payment-desk-fully-paid",
  refund_requested_template: "payment-desk-refund-requested",
  refund_succeeded_template: "payment-desk-refund-succeeded",
  refund_failed_template: "payment-desk-refund-failed",
}

/** Checks the `emails` option block and fills in defaults; the message names the field. */
export function resolveEmailOptions(raw: unknown): ResolvedEmailOptions {
  if (raw !== undefined && raw !== null && (typeof raw !== "object" || Array.isArray(raw))) {
    invalid("emails", "must be an object such as { reminder_hours_before: 24 }")
  }
  const given = (raw ?? {}) as Record<string, unknown>
  const known = [...EMAIL_TEMPLATE_FIELDS, "reminder_hours_before"] as string[]
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      invalid(`emails.${key}`, `is not an email option (known: ${known.join(", ")})`)
    }
  }
  const resolved = { ...DEFAULT_EMAIL_TEMPLATES } as ResolvedEmailOptions
  for (const field of EMAIL_TEMPLATE_FIELDS) {
    const value = given[field]
    if (value === undefined) {
      continue
    }
    if (typeof value !== "string" || !value.trim()) {
      invalid(`emails.${field}`, "must be a non-empty template id string")
    }
    resolved[field] = value
  }
  const hours = given.reminder_hours_before ?? 24
  if (typeof hours !== "number" || !Number.isFinite(hours) || hours <= 0) {
    invalid("emails.reminder_hours_before", "must be a positive number of hours")
  }
  resolved.reminder_hours_before = hours
  return resolved
}
// ---- end emails ----

/** The plugin options as {@link resolvePaymentDeskOptions} returns them: checked, every default filled in. */
export type ResolvedPaymentDeskOptions = {
  permissions: Record<Permission, PermissionRule>
  receipt_methods: string[]
  idempotency_ttl_hours: number
  stripe: { apiKey: string; webhookSecret: string | null; apiHost: string | null; timeoutMs: number } | null
  refunds: {
    maxAttempts: number
    reconcileAfterMinutes: number
    retryBackoffMinutes: number
    reconcile_budget: number
    reconcile_batch: number
  }
  notifications: { customerTemplate: string; adminFeed: boolean; language: ServerLanguage }
  auto_close: { enabled: boolean; batch_size: number; concurrency: number; max_per_run: number; close_partially_paid: boolean }
  order_lock: { ttl_seconds: number; wait_seconds: number }
  bank_statements: {
    auto_record: boolean
    max_file_bytes: number
    max_lines: number
    inline_booking_limit: number
    csv_profiles: Record<string, CsvProfile>
  }
  emails: ResolvedEmailOptions
  store_close: StoreClosePolicy
}

const METHOD_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

function invalid(field: string, why: string): never {
  throw new MedusaError(MedusaError.Types.INVALID_DATA, `medusa-payment-desk option ${field} ${why}`)
}

/** Checks the plugin options and fills in defaults; the message names the field. */
export function resolvePaymentDeskOptions(raw: Record<string, unknown> = {}): ResolvedPaymentDeskOptions {
  const permissions = {} as Record<Permission, PermissionRule>
  const given = (raw.permissions ?? {}) as Record<string, unknown>
  if (typeof given !== "object" || Array.isArray(given)) {
    invalid("permissions", "must be an object such as { record_payment: \"*\" }")
  }
  for (const key of Object.keys(given)) {
    if (!PERMISSIONS.includes(key as Permission)) {
      invalid(`permissions.${key}`, `is not a permission (known: ${PERMISSIONS.join(", ")})`)
    }
  }
  for (const permission of PERMISSIONS) {
    const rule = given[permission] ?? "*"
    if (rule !== "*" && !(Array.isArray(rule) && rule.every((entry) => typeof entry === "string" && entry))) {
      invalid(`permissions.${permission}`, 'must be "*" or a list of admin user ids and emails')
    }
    permissions[permission] = rule as PermissionRule
  }

  const methods = raw.receipt_methods ?? ["cash", "cheque"]
  if (!Array.isArray(methods) || !methods.every((m) => typeof m === "string" && METHOD_ID.test(m))) {
    invalid("receipt_methods", 'must be a list of kebab-case method ids such as ["cash", "cheque"]')
  }

  const ttl = raw.idempotency_ttl_hours ?? 24
  if (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl < 24) {
    invalid("idempotency_ttl_hours", "must be a number of hours of at least 24")
  }

  let stripe: ResolvedPaymentDeskOptions["stripe"] = null
  if (raw.stripe !== undefined && raw.stripe !== null) {
    const given = raw.stripe as Record<string, unknown>
    if (typeof given.apiKey !== "string" || !given.apiKey) {
      invalid("stripe.apiKey", "is required when stripe is set")
    }
    if (given.webhookSecret !== undefined && typeof given.webhookSecret !== "string") {
      invalid("stripe.webhookSecret", "must be a string (whsec_...)")
    }
    if (given.apiHost !== undefined && (typeof given.apiHost !== "string" || !/^https?:\/\/[^/]+$/.test(given.apiHost))) {
      invalid("stripe.apiHost", "must be a URL such as http://127.0.0.1:12111")
    }
    stripe = {
      apiKey: given.apiKey,
      webhookSecret: (given.webhookSecret as string | undefined) ?? null,
      apiHost: (given.apiHost as string | undefined) ?? null,
      timeoutMs: 20_000,
    }
    if (given.timeoutMs !== undefined) {
      if (typeof given.timeoutMs !== "number" || given.timeoutMs <= 0) {
        invalid("stripe.timeoutMs", "must be a positive number of milliseconds")
      }
      stripe.timeoutMs = given.timeoutMs
    }
  }

  const refunds = (raw.refunds ?? {}) as Record<string, unknown>
  const positive = (field: string, value: unknown, fallback: number) => {
    const chosen = value ?? fallback
    if (typeof chosen !== "number" || !Number.isFinite(chosen) || chosen <= 0) {
      invalid(`refunds.${field}`, "must be a positive number")
    }
    return chosen
  }
  const wholeRefundsNumber = (field: string, value: unknown, fallback: number) => {
    const chosen = value ?? fallback
    if (typeof chosen !== "number" || !Number.isInteger(chosen) || chosen < 1) {
      invalid(`refunds.${field}`, "must be a positive whole number")
    }
    return chosen
  }

  const notifications = (raw.notifications ?? {}) as Record<string, unknown>
  if (notifications.customerTemplate !== undefined && typeof notifications.customerTemplate !== "string") {
    invalid("notifications.customerTemplate", "must be a template id string")
  }
  if (notifications.language !== undefined && !(SERVER_LANGUAGES as readonly unknown[]).includes(notifications.language)) {
    invalid("notifications.language", `must be one of ${SERVER_LANGUAGES.join(", ")}`)
  }
  const autoClose = (raw.auto_close ?? {}) as Record<string, unknown>
  const batch = autoClose.batch_size ?? 100
  if (typeof batch !== "number" || !Number.isInteger(batch) || batch < 1) {
    invalid("auto_close.batch_size", "must be a positive whole number")
  }
  // --- auto-close throughput (issue 12) ---
  const wholeNumber = (field: string, fallback: number, max: number) => {
    const value = autoClose[field] ?? fallback
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
      invalid(`auto_close.${field}`, `must be a whole number from 1 to ${max}`)
    }
    return value
  }
  const closeConcurrency = wholeNumber("concurrency", 4, 32)
  const maxPerRun = wholeNumber("max_per_run", 10_000, 1_000_000)
  // --- end auto-close throughput ---

  const lock = (raw.order_lock ?? {}) as Record<string, unknown>
  const seconds = (field: string, fallback: number) => {
    const value = lock[field] ?? fallback
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      invalid(`order_lock.${field}`, "must be a positive number of seconds")
    }
    return value
  }
  const order_lock = { ttl_seconds: seconds("ttl_seconds", 120), wait_seconds: seconds("wait_seconds", 5) }
  if (stripe && order_lock.ttl_seconds * 1000 <= stripe.timeoutMs) {
    invalid("order_lock.ttl_seconds", `must be longer than stripe.timeoutMs (${stripe.timeoutMs} ms)`)
  }

  const statements = (raw.bank_statements ?? {}) as Record<string, unknown>
  if (typeof statements !== "object" || Array.isArray(statements)) {
    invalid("bank_statements", "must be an object such as { auto_record: true }")
  }
  if (statements.auto_record !== undefined && typeof statements.auto_record !== "boolean") {
    invalid("bank_statements.auto_record", "must be true or false")
  }
  const maxMb = statements.max_file_mb ?? 10
  if (typeof maxMb !== "number" || !Number.isFinite(maxMb) || maxMb <= 0) {
    invalid("bank_statements.max_file_mb", "must be a positive number of megabytes")
  }
  const maxLines = statements.max_lines ?? 100_000
  if (typeof maxLines !== "number" || !Number.isInteger(maxLines) || maxLines < 1) {
    invalid("bank_statements.max_lines", "must be a whole number of lines, 1 or more")
  }
  const inlineBookingLimit = statements.inline_booking_limit ?? 200
  if (typeof inlineBookingLimit !== "number" || !Number.isInteger(inlineBookingLimit) || inlineBookingLimit < 0) {
    invalid("bank_statements.inline_booking_limit", "must be a whole number of lines, 0 or more")
  }
  const profiles = (statements.csv_profiles ?? {}) as Record<string, unknown>
  if (typeof profiles !== "object" || Array.isArray(profiles)) {
    invalid("bank_statements.csv_profiles", "must be an object of profiles by name")
  }
  // No prototype: a profile named "constructor" is a profile, never Object's.
  const csvProfiles: Record<string, CsvProfile> = Object.create(null)
  for (const [name, profile] of Object.entries(profiles)) {
    if (!CSV_PROFILE_NAME.test(name)) {
      invalid(`bank_statements.csv_profiles.${name}`, "must be named with letters, digits, _ . - (starting with a letter or digit)")
    }
    csvProfiles[name] = validateCsvProfile(name, profile)
  }

  const emails = resolveEmailOptions(raw.emails)

  // --- Customer cancellation policy ---
  const storeClose = raw.store_close ?? "unpaid_only"
  if (!STORE_CLOSE_POLICIES.includes(storeClose as StoreClosePolicy)) {
    invalid("store_close", `must be one of ${STORE_CLOSE_POLICIES.join(", ")}`)
  }

  return {
    bank_statements: {
      auto_record: statements.auto_record !== false,
      max_file_bytes: Math.round(maxMb * 1024 * 1024),
      max_lines: maxLines as number,
      inline_booking_limit: inlineBookingLimit as number,
      csv_profiles: csvProfiles,
    },
    emails,
    store_close: storeClose as StoreClosePolicy,
    order_lock,
    notifications: {
      customerTemplate: (notifications.customerTemplate as string | undefined) ?? "payment-desk-order-closed",
      adminFeed: notifications.adminFeed !== false,
      language: (notifications.language as ServerLanguage | undefined) ?? "en",
    },
    auto_close: {
      enabled: autoClose.enabled !== false,
      batch_size: batch,
      concurrency: closeConcurrency,
      max_per_run: maxPerRun,
      close_partially_paid: autoClose.close_partially_paid === true,
    },
    permissions,
    receipt_methods: methods as string[],
    idempotency_ttl_hours: ttl,
    stripe,
    refunds: {
      maxAttempts: positive("maxAttempts", refunds.maxAttempts, 5),
      reconcileAfterMinutes: positive("reconcileAfterMinutes", refunds.reconcileAfterMinutes, 10),
      retryBackoffMinutes: positive("retryBackoffMinutes", refunds.retryBackoffMinutes, 5),
      // --- reconciliation at scale (issue 12) ---
      reconcile_budget: wholeRefundsNumber("reconcile_budget", refunds.reconcile_budget, 100),
      reconcile_batch: wholeRefundsNumber("reconcile_batch", refunds.reconcile_batch, 1000),
    },
  }
}

/** Whether an admin (by id or email) holds a permission. */
export function isAllowed(
  rule: PermissionRule,
  user: { id: string; email?: string | null }
): boolean {
  if (rule === "*") {
    return true
  }
  const email = user.email?.toLowerCase()
  return rule.some((entry) => entry === user.id || (!!email && entry.toLowerCase() === email))
}
