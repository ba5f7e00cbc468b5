import { MedusaError } from "@medusajs/framework/utils"

/** The money actions a permission can gate. */
export const PERMISSIONS = ["record_payment", "refund", "close_order"] as const
export type Permission = (typeof PERMISSIONS)[number]

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
}

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
  notifications: { customerTemplate: string; adminFeed: boolean }
  auto_close: { enabled: boolean; batch_size: number; concurrency: number; max_per_run: number; close_partially_paid: boolean }
  order_lock: { ttl_seconds: number; wait_seconds: number }
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

  return {
    order_lock,
    notifications: {
      customerTemplate: (notifications.customerTemplate as string | undefined) ?? "payment-desk-order-closed",
      adminFeed: notifications.adminFeed !== false,
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
