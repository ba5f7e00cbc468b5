import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { ReceiptStatus } from "../../../modules/payment-desk/models/receipt"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

/** Input of {@link markReceiptStep}: the receipt, where it must stand, and the capture it now names. */
export type MarkReceiptStepInput = {
  id: string
  from: ReceiptStatus[]
  to: "captured"
  capture_id?: string
  payment_id?: string
}

export const markReceiptStepId = "mark-receipt"

/**
 * Marks the receipt `captured` with Medusa's capture id (it is marked
 * `recorded` together with its audit entry, by recordReceiptAuditStep),
 * from the status it must be in; a
 * receipt moved meanwhile by someone else fails the run with a 409. No
 * compensation: the mark only says what stands in Medusa's books; if a later
 * step undoes the capture, the receipt row is deleted with it.
 */
export const markReceiptStep = createStep(markReceiptStepId, async (input: MarkReceiptStepInput, { container }) => {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const patch = {
    ...(input.capture_id ? { capture_id: input.capture_id } : {}),
    ...(input.payment_id ? { payment_id: input.payment_id } : {}),
  }
  if (!(await desk.transitionReceipt({ id: input.id, from: input.from, to: input.to, patch }))) {
    throw new MedusaError(MedusaError.Types.CONFLICT, `Receipt ${input.id} was moved by another run; nothing more was written`)
  }
  return new StepResponse({ id: input.id, status: input.to })
})
