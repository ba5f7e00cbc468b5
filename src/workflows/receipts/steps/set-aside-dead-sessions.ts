import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import type { PaymentSessionDTO } from "@medusajs/framework/types"

export type SetAsideDeadSessionsStepInput = {
  payment_collection_id: string
  /** The collection's sessions as the receipt's validation read them under the order's lock: all dead. */
  session_ids: string[]
}

type PaymentModuleInternals = {
  softDeletePaymentSessions(ids: string[]): Promise<unknown>
  restorePaymentSessions(ids: string[]): Promise<unknown>
}

export const setAsideDeadSessionsStepId = "set-aside-dead-sessions"

/**
 * Soft-deletes the dead payment sessions of a collection a receipt pays in
 * full (authorized with a canceled payment, as a failed mark-as-paid leaves
 * one when its compensation could not delete it; or canceled), so that
 * core's `createPaymentSessionsWorkflow` finds none to delete: its deletion
 * removes the rows for good and its compensation recreates them as new
 * `pending` sessions, which would leave a live-looking session behind a
 * failed receipt. Refuses (409) when the collection's sessions are no longer
 * exactly the dead ones read under the lock (a customer's session appeared:
 * the store's payment routes take no order lock).
 */
export const setAsideDeadSessionsStep = createStep(
  setAsideDeadSessionsStepId,
  async (input: SetAsideDeadSessionsStepInput, { container }) => {
    const paymentModule = container.resolve(Modules.PAYMENT)
    const sessions = await paymentModule.listPaymentSessions(
      { payment_collection_id: input.payment_collection_id },
      { select: ["id", "status", "payment.id", "payment.canceled_at"], relations: ["payment"] }
    )
    const planned = new Set(input.session_ids)
    const dead = (session: PaymentSessionDTO) =>
      session.status === "canceled" || (session.status === "authorized" && !!session.payment?.canceled_at)
    const changed = sessions.filter((session) => !planned.has(session.id) || !dead(session))
    if (changed.length || sessions.length !== planned.size) {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `Payment collection ${input.payment_collection_id} has a payment session that changed since it was read (${
          changed.map((s) => `${s.id}: ${s.status}`).join(", ") || "a session is gone"
        }): nothing was recorded, try again`
      )
    }
    if (!sessions.length) {
      return new StepResponse([] as string[])
    }
    const ids = sessions.map((session) => session.id)
    await (paymentModule as unknown as PaymentModuleInternals).softDeletePaymentSessions(ids)
    return new StepResponse(ids, ids)
  },
  // Puts the sessions back as they were (ids, status, authorization), so a
  // failed receipt leaves the collection exactly as it found it.
  async (ids: string[] | undefined, { container }) => {
    if (!ids?.length) {
      return
    }
    const paymentModule = container.resolve(Modules.PAYMENT)
    await (paymentModule as unknown as PaymentModuleInternals).restorePaymentSessions(ids)
  }
)
