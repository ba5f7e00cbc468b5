import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import type { ActorType } from "../../modules/payment-desk/models/audit-entry"

/** One audit entry as written; see the `audit_entry` model for each field. */
export type CreateAuditEntryStepInput = {
  order_id: string
  payment_id?: string | null
  action: string
  actor_type: ActorType
  actor_id?: string | null
  actor_email?: string | null
  amount?: number | null
  currency_code?: string | null
  method?: string | null
  reference?: string | null
  received_at?: Date | string | null
  note?: string | null
  payment_status_before?: string | null
  payment_status_after?: string | null
  order_payment_status_before?: string | null
  order_payment_status_after?: string | null
  ip?: string | null
  user_agent?: string | null
  idempotency_key?: string | null
  metadata?: Record<string, unknown> | null
}

export const createAuditEntriesStepId = "create-audit-entries"

/** Appends entries to the audit trail, in order. */
export const createAuditEntriesStep = createStep(
  createAuditEntriesStepId,
  async (input: CreateAuditEntryStepInput[], { container }) => {
    if (!input.length) {
      return new StepResponse([], [])
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const entries = await desk.createAuditEntries(
      input.map((entry) => ({ ...entry, received_at: entry.received_at ? new Date(entry.received_at) : null }))
    )
    return new StepResponse(
      entries,
      entries.map((entry) => entry.id)
    )
  },
  // Only this run's own entries go: the actions they describe were undone.
  async (entryIds: string[] | undefined, { container }) => {
    if (!entryIds?.length) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.discardAuditEntriesOfFailedRun(entryIds)
  }
)
