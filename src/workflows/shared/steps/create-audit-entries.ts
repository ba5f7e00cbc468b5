import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { AuditEntryInput, AuditEntryRow } from "../../../modules/payment-desk/models/audit-entry"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

/** One audit entry as written; see the `audit_entry` model for each field. */
export type CreateAuditEntryStepInput = AuditEntryInput

export const createAuditEntriesStepId = "create-audit-entries"

/**
 * Appends entries to the audit trail, in order; an entry whose `dedupe_key`
 * is already there is skipped, so a retried run records each fact once.
 * Entries written for a receipt that a later step undoes go with it;
 * entries that describe money a provider moved carry a `dedupe_key` and are
 * kept whatever fails after them.
 */
export const createAuditEntriesStep = createStep(
  createAuditEntriesStepId,
  async (input: CreateAuditEntryStepInput[], { container }) => {
    if (!input.length) {
      return new StepResponse([] as AuditEntryRow[], [] as string[])
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const entries = await desk.appendAuditEntries(
      input.map((entry) => ({ ...entry, received_at: entry.received_at ? new Date(entry.received_at) : null }))
    )
    // Only entries without a dedupe key describe an action a compensation can undo.
    return new StepResponse(
      entries,
      entries.filter((entry) => !entry.dedupe_key).map((entry) => entry.id)
    )
  },
  async (entryIds: string[] | undefined, { container }) => {
    if (!entryIds?.length) {
      return
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    await desk.discardAuditEntriesOfFailedRun(entryIds)
  }
)
