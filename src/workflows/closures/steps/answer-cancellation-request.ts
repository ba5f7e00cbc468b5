import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { CancellationRequestRow } from "../../../modules/payment-desk/models/cancellation-request"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"

export type AnswerCancellationRequestStepInput = {
  id: string
  answer: "approved" | "declined"
  answered_by: string | null
  message: string | null
}

export const answerCancellationRequestStepId = "answer-cancellation-request"

/**
 * Moves an open request to its answer (compare-and-set): 404 when there is
 * no such request, 409 when it was answered already (the loser of an
 * approve/decline race changes nothing).
 */
export const answerCancellationRequestStep = createStep(
  answerCancellationRequestStepId,
  async (input: AnswerCancellationRequestStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const answered = await desk.transitionCancellationRequest({
      id: input.id,
      from: ["open"],
      to: input.answer,
      patch: { answered_by: input.answered_by, answer_message: input.message, answered_at: new Date() },
    })
    if (!answered) {
      const [existing] = await desk.listCancellationRequests({ id: input.id })
      if (!existing) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cancellation request with id: ${input.id} was not found`)
      }
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `Cancellation request ${input.id} was already answered (${existing.status}): nothing was changed`
      )
    }
    return new StepResponse(answered, answered.id)
  },
  // An approval whose close failed reopens the request, so it can be answered again.
  async (id: string | undefined, { container }) => {
    if (!id) {
      return
    }
    await container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).transitionCancellationRequest({
      id,
      from: ["approved", "declined"],
      to: "open",
      patch: { answered_by: null, answer_message: null, answered_at: null, order_closure_id: null },
    })
  }
)

/** The request row as the answer step returns it. */
export type AnsweredCancellationRequest = CancellationRequestRow
