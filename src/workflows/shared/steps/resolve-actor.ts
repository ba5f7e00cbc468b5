import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { ActorType } from "../../../modules/payment-desk/models/audit-entry"

export type Actor = { type: ActorType; id?: string | null; email?: string | null }

export const resolveActorStepId = "resolve-actor"

/** Completes an actor with its email (admin user or customer) for the audit trail. */
export const resolveActorStep = createStep(
  resolveActorStepId,
  async (actor: Actor, { container }) => {
    if (actor.email || !actor.id || actor.type === "system") {
      return new StepResponse({ type: actor.type, id: actor.id ?? null, email: actor.email ?? null })
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: actor.type === "user" ? "user" : "customer",
      fields: ["id", "email"],
      filters: { id: actor.id },
    })
    return new StepResponse({ type: actor.type, id: actor.id, email: data[0]?.email ?? null })
  }
)
