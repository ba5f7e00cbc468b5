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

export const createAuditEntryStepId = "create-audit-entry"

/** Appends an entry to the audit trail. */
export const createAuditEntryStep = createStep(
  createAuditEntryStepId,
  async (input: CreateAuditEntryStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const entry = await desk.createAuditEntries({
      ...input,
      received_at: input.received_at ? new Date(input.received_at) : null,
    })
    return new StepResponse(entry, entry.id)
  },
  // Only this run's own entry goes: the action it describes was undone.
  async (entryId: string | undefined, { container }) => {
    if (!entryId) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.discardAuditEntriesOfFailedRun([entryId])
  }
)
