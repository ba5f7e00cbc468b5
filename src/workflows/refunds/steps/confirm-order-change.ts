import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"

export type ConfirmOrderChangeStepInput = { order_id: string; order_change_id: string; confirmed_by?: string | null }

export const confirmOrderChangeStepId = "confirm-order-change"

/**
 * Confirms an order change, as core's own `confirmOrderChanges` step does
 * (which core-flows does not export): the order moves to the change's
 * version and its summary is computed again from its transactions.
 */
export const confirmOrderChangeStep = createStep(
  confirmOrderChangeStepId,
  async (input: ConfirmOrderChangeStepInput, { container }) => {
    const orders = container.resolve(Modules.ORDER)
    await orders.confirmOrderChange([{ id: input.order_change_id, confirmed_by: input.confirmed_by ?? undefined }])
    return new StepResponse(undefined, input)
  },
  // As core's step: a later failure undoes the change it confirmed.
  async (input: ConfirmOrderChangeStepInput | undefined, { container }) => {
    if (!input) {
      return
    }
    await container.resolve(Modules.ORDER).undoLastChange(input.order_id, { id: input.order_change_id })
  }
)
