import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import type { PaymentReceiptPlan } from "./validate-payment-receipt"

/** Input of {@link writeReceiptStep}. */
export type WriteReceiptStepInput = {
  plan: PaymentReceiptPlan
  captured_by: string | null
  /** What the audit entry needs when another run finishes the receipt. */
  request: Record<string, unknown>
}

export const writeReceiptStepId = "write-receipt"

/**
 * Writes the receipt under its key before Medusa captures (in its own
 * commit, so it outlives a process that dies after the capture): a retry,
 * a confirmation or a re-import under the key then finds it and resumes
 * from the capture. A resumed receipt is kept as it is. A stale row under
 * the key (its run stopped before capturing) gives way to this one.
 */
export const writeReceiptStep = createStep(
  writeReceiptStepId,
  async (input: WriteReceiptStepInput, { container }) => {
    const { plan } = input
    if (plan.receipt.resume) {
      // Resumed: the row stands whatever happens to this run.
      return new StepResponse({ id: plan.receipt.resume.receipt_id }, null)
    }
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    if (plan.receipt.stale_id) {
      await desk.deleteReceipts(plan.receipt.stale_id)
    }
    const row = await desk.createReceipts({
      key: plan.receipt.key,
      order_id: plan.order_id,
      payment_collection_id: plan.payment_collection_id,
      payment_id: plan.payment_id,
      amount: plan.amount,
      currency_code: plan.currency_code,
      status: "capturing",
      captured_by: input.captured_by,
      captures_before: { ids: plan.order.payment_collections.flatMap((c) => c.payments.flatMap((p) => p.captures.map((row) => row.id))) },
      request: input.request,
    })
    return new StepResponse({ id: row.id }, row.id)
  },
  // The receipt failed before it was booked (its capture is undone by the
  // capture step's own compensation): nothing is left to resume.
  async (id: string | null | undefined, { container }) => {
    if (!id) {
      return
    }
    await container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).deleteReceipts(id)
  }
)
