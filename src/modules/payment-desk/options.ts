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
}

export type ResolvedPaymentDeskOptions = {
  permissions: Record<Permission, PermissionRule>
  receipt_methods: string[]
  idempotency_ttl_hours: number
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

  return { permissions, receipt_methods: methods as string[], idempotency_ttl_hours: ttl }
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
